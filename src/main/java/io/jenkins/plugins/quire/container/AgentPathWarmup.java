package io.jenkins.plugins.quire.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.core.DockerClientConfig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Why: through the command line every run is a fresh JVM, and the exec agent's part of a container's start (the
 * frames, the binary's tar and digest, the passwd parsing, the JSON of the engine's image, volume and container
 * inspects) was loaded and interpreted cold on the start's critical path: about 200 ms more than a plain start,
 * against 44 ms in a warm JVM (docs/benchmarks.md). This runs that code once per JVM, on made-up input, on the thread
 * that connected to the engine while the pipeline compiled (after the connection, so that it never delays it). It
 * never talks to Docker (it has no client), nobody waits for it, and any failure only costs speed.
 */
public final class AgentPathWarmup {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final String SAMPLES = "warmup/";
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\nbuilder:x:1000:1000::/home/builder:/bin/sh\n";
    private static final String GROUP = "root:x:0:\nbuilder:x:1000:\nusers:x:100:builder\n";

    private AgentPathWarmup() { }

    /**
     * Runs the warm-up in the calling thread (a background one: the engine's early connection, after it connected),
     * the first time it is asked for in this JVM.
     * @return the steps that completed; empty when a warm-up already ran or runs in this JVM
     */
    public static List<String> runOnce() {
        if (!STARTED.compareAndSet(false, true)) return List.of();
        return run();
    }

    /** Runs every step; returns the names of those that completed (a failed step is skipped, never thrown). */
    static List<String> run() {
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        byte[] binary = step(done, "binary", AgentPathWarmup::binary);
        step(done, "frames", () -> frames(binary));
        step(done, "tar", () -> tar(binary));
        step(done, "identity", AgentPathWarmup::identity);
        step(done, "json", AgentPathWarmup::json);
        return List.copyOf(done);
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T step(List<String> done, String name, Step<T> s) {
        try {
            T t = s.run();
            done.add(name);
            return t;
        } catch (Throwable e) {                             // NOPMD: warm-up only, a failed step costs speed, nothing else
            return null;
        }
    }

    /** The binary for this host's platform (the likeliest image platform) and the name of its volume. */
    private static byte[] binary() {
        byte[] b = AgentBinary.forPlatform(hostPlatform());
        if (b == null) b = new byte[75 << 10];                  // a build without the agent: the same work on zeros
        AgentVolume.nameOf(b);
        return b;
    }

    static String hostPlatform() {
        String arch = System.getProperty("os.arch", "");
        return "linux-" + (arch.equals("aarch64") ? "arm64" : arch.equals("x86_64") ? "amd64" : arch);
    }

    /** A run request as the engine sends it, and a request's whole answer (hello to exit) through the decoder. */
    private static Boolean frames(byte[] binary) throws Exception {
        List<String> env = AgentEnvironment.merge(AgentEnvironment.base(List.of("PATH=/bin"), "0123456789ab", "/"),
                ExecRequest.argv("true").envList("0"));
        byte[] run = AgentFrames.run(1, "1000:1000", WorkDirs.ROOT, List.of("sh", "-c", "true"), env);
        List<AgentFrames.Frame> seen = new ArrayList<>();
        byte[] toAgent = concat(run, AgentFrames.kill(1, 9), AgentFrames.quit());
        AgentFrames.Decoder.fromEngine(seen::add).feed(toAgent, 0, toAgent.length);
        byte[] answer = concat(
                AgentFrames.frame(AgentFrames.HELLO, 0, AgentFrames.helloPayload("warmup", 7)),
                AgentFrames.frame(AgentFrames.STARTED, 1, new byte[] {0, 0, 0, 8}),
                AgentFrames.frame(AgentFrames.STDOUT, 1, "out\n".getBytes(StandardCharsets.UTF_8)),
                AgentFrames.frame(AgentFrames.STDERR, 1, "err\n".getBytes(StandardCharsets.UTF_8)),
                AgentFrames.frame(AgentFrames.EXIT, 1, AgentFrames.exitPayload(0, 0, AgentFrames.FLAG_OOM_COUNTED)));
        AgentFrames.Decoder fromAgent = AgentFrames.Decoder.fromAgent(f -> {
            switch (f.type()) {
                case AgentFrames.HELLO -> AgentFrames.hello(f);
                case AgentFrames.STARTED -> AgentFrames.started(f);
                case AgentFrames.EXIT -> AgentFrames.exit(f);
                default -> seen.add(f);
            }
        });
        for (int off = 0; off < answer.length; off += 5)          // cut anywhere, as Docker cuts the stream
            fromAgent.feed(answer, off, Math.min(5, answer.length - off));
        if (seen.size() != 5) throw new IllegalStateException("decoded " + seen.size() + " of 5 frames");
        return true;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** The tar that fills the agent's volume, read back as a container's file is read. */
    private static byte[] tar(byte[] binary) throws IOException {
        byte[] tar = AgentTar.directoryWithExecutable(ExecAgent.DIR, ExecAgent.NAME, binary);
        return AgentTar.firstRegularFile(new ByteArrayInputStream(tar), 1 << 20);
    }

    /** The exec user and environment worked out from an image's passwd and group. */
    private static List<String> identity() {
        AgentEnvironment.Identity numeric = AgentEnvironment.resolve("1000:1000", PASSWD, GROUP);
        AgentEnvironment.Identity named = AgentEnvironment.resolve("builder", PASSWD, GROUP);
        return AgentEnvironment.merge(AgentEnvironment.base(List.of("PATH=/bin", "A=b"), "0123456789ab", numeric.home()),
                List.of("QUIRE_JOB=warmup", "HOME=" + named.home()));
    }

    /** The engine's answers the agent's start reads (image, volume, container), through docker-java's JSON mapper. */
    private static Boolean json() throws IOException {
        ObjectMapper m = DockerClientConfig.getDefaultObjectMapper();
        InspectImageResponse image = m.readValue(sample("inspect-image.json"), InspectImageResponse.class);
        InspectVolumeResponse volume = m.readValue(sample("inspect-volume.json"), InspectVolumeResponse.class);
        InspectContainerResponse c = m.readValue(sample("inspect-container.json"), InspectContainerResponse.class);
        if (image.getArch() == null || volume.getName() == null || c.getConfig().getEnv() == null)
            throw new IllegalStateException("a sample did not read whole");
        return true;
    }

    private static byte[] sample(String name) throws IOException {
        try (InputStream in = AgentPathWarmup.class.getResourceAsStream(SAMPLES + name)) {
            if (in == null) throw new IOException("no sample " + name);
            return in.readAllBytes();
        }
    }
}
