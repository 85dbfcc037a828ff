package io.jenkins.plugins.quire.container.agent;

import io.jenkins.plugins.quire.container.agent.AgentFrames.Frame;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Why: one agent process (on this host, or inside a container through `docker run -i`) driven by the tests: a
 * reader thread sorts the agent's frames by request id with their arrival times, so tests can check contents and
 * orderings (overlap, no starvation) rather than wall-clock times.
 */
final class AgentSession implements AutoCloseable {
    /** The agent binary built by scripts/build-agent.sh (mvn package runs it before the integration tests). */
    static Path binary() {
        Path target = Path.of(System.getProperty("quire.target.dir", "target"));
        Path bin = target.resolve("agent/linux-amd64/quire-exec-agent");
        if (!Files.isExecutable(bin)) {
            fail("the exec agent " + bin + " is not built: run `mvn package` (it runs scripts/build-agent.sh)");
        }
        return bin;
    }

    /** What the agent sent for one request. */
    static final class Exchange {
        final int id;
        final List<Frame> frames = new ArrayList<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final CountDownLatch exited = new CountDownLatch(1);
        volatile boolean countOnly;
        volatile long outBytes;
        /** When set, the reader sleeps this long per MiB of this request's output: a slow engine. */
        volatile long throttleMillisPerMiB;

        Exchange(int id) {
            this.id = id;
        }

        synchronized void add(Frame f) {
            if (f.type() == AgentFrames.OUT) {
                outBytes += f.payload().length;
                if (!countOnly) out.writeBytes(f.payload());
                if (countOnly) {
                    frames.add(new Frame(f.type(), f.id(), new byte[0], f.nanos()));
                    return;
                }
            } else if (f.type() == AgentFrames.ERR) {
                err.writeBytes(f.payload());
            }
            frames.add(f);
            if (f.type() == AgentFrames.EXIT) exited.countDown();
        }

        synchronized Frame first(byte type) {
            for (Frame f : frames) if (f.type() == type) return f;
            return null;
        }

        synchronized Frame last(byte type) {
            Frame found = null;
            for (Frame f : frames) if (f.type() == type) found = f;
            return found;
        }

        synchronized String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        synchronized String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        int pid() {
            Frame s = first(AgentFrames.STARTED);
            return s == null ? -1 : s.u32(0);
        }

        Frame exitFrame() {
            return last(AgentFrames.EXIT);
        }

        int exit() {
            return exitFrame().u32(0);
        }

        int signal() {
            return exitFrame().payload()[4] & 0xff;
        }

        int flags() {
            return exitFrame().payload()[5] & 0xff;
        }

        Exchange await(Duration d) throws InterruptedException {
            if (!exited.await(d.toMillis(), TimeUnit.MILLISECONDS)) fail("no exit frame for request " + id + " within " + d);
            return this;
        }
    }

    private final Process process;
    private final OutputStream in;
    private final Map<Integer, Exchange> exchanges = new ConcurrentHashMap<>();
    private final Thread reader;
    private final Thread errReader;
    private final ByteArrayOutputStream agentErr = new ByteArrayOutputStream();
    private final CountDownLatch helloSeen = new CountDownLatch(1);
    private volatile Frame hello;
    private volatile Throwable readFailure;
    private volatile boolean streamEnded;

    private AgentSession(Process process) {
        this.process = process;
        this.in = process.getOutputStream();
        this.reader = new Thread(this::readFrames, "agent-frames");
        this.errReader = new Thread(() -> {
            try {
                byte[] b = new byte[4096];
                int n;
                while ((n = process.getErrorStream().read(b)) > 0) {
                    synchronized (agentErr) {
                        agentErr.write(b, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the agent is gone
            }
        }, "agent-stderr");
        reader.setDaemon(true);
        errReader.setDaemon(true);
        reader.start();
        errReader.start();
    }

    /** The agent as a process of this host. */
    static AgentSession local() throws IOException, InterruptedException {
        return start(List.of(binary().toString()));
    }

    /** The agent through any command whose stdin/stdout are the agent's (e.g. `docker run -i ...`). */
    static AgentSession start(List<String> command) throws IOException, InterruptedException {
        AgentSession s = new AgentSession(new ProcessBuilder(command).start());
        if (!s.helloSeen.await(60, TimeUnit.SECONDS)) {
            s.close();
            fail("no hello frame from " + command + "; agent stderr: " + s.agentStderr());
        }
        return s;
    }

    private void readFrames() {
        try {
            DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(process.getInputStream(), 1 << 16));
            Frame f;
            while ((f = AgentFrames.read(d)) != null) {
                if (f.id() == 0) {
                    if (hello == null) hello = f;
                    helloSeen.countDown();
                    continue;
                }
                Exchange e = exchange(f.id());
                e.add(f);
                long t = e.throttleMillisPerMiB;
                if (t > 0 && f.type() == AgentFrames.OUT && (e.outBytes >> 20) != ((e.outBytes - f.payload().length) >> 20)) {
                    Thread.sleep(t);
                }
            }
        } catch (Throwable t) {
            readFailure = t;
        } finally {
            streamEnded = true;
            helloSeen.countDown();
        }
    }

    Exchange exchange(int id) {
        return exchanges.computeIfAbsent(id, Exchange::new);
    }

    Frame hello() {
        return hello;
    }

    synchronized void send(byte[] bytes) throws IOException {
        in.write(bytes);
        in.flush();
    }

    Exchange run(int id, List<String> argv, List<String> env) throws IOException {
        return run(id, "", "", argv, env);
    }

    Exchange run(int id, String user, String cwd, List<String> argv, List<String> env) throws IOException {
        Exchange e = exchange(id);
        send(AgentFrames.run(id, user, cwd, argv, env));
        return e;
    }

    /** Closes the agent's stdin (the engine's connection gone). */
    void closeStdin() throws IOException {
        in.close();
    }

    int waitFor(Duration d) throws InterruptedException {
        if (!process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS)) fail("the agent did not exit within " + d);
        reader.join(d.toMillis());
        errReader.join(d.toMillis());
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    boolean streamEnded() {
        return streamEnded;
    }

    Throwable readFailure() {
        return readFailure;
    }

    String agentStderr() {
        synchronized (agentErr) {
            return agentErr.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                send(AgentFrames.quit());
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        }
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "agent still running");
    }
}
