package io.jenkins.plugins.quire.container;

import io.jenkins.plugins.quire.TestFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Why: the container tests (integration tier, {@code *IT}) run against the real dockerd and the locally built test
 * images. Once per JVM this checks that both are there or fails with the command that provides them: these tests
 * must run, never be skipped, and a test never installs or starts anything itself.
 */
public final class DockerTestSupport {
    public static final String BUSYBOX = "quire-test:busybox";
    public static final String DEBIAN = "quire-test:debian";

    private static boolean ready;

    private DockerTestSupport() { }

    public static synchronized DockerEngine engine() {
        if (!ready) {
            requireDocker();
            ready = true;
        }
        return DockerEngine.connect(EngineConfig.defaults());
    }

    /** Fails (never skips) with the command that sets things up: tests do not install or start anything. */
    private static void requireDocker() {
        if (!engineAnswers()) fail("no Docker engine answers on " + EngineConfig.DEFAULT_HOST + ": run `bash scripts/ensure-docker.sh` first (scripts/test.sh does)");
        for (String image : List.of(BUSYBOX, DEBIAN)) {
            if (!imageExists(image)) fail("the test image " + image
                    + " is missing: run `bash scripts/ensure-docker.sh` first (scripts/test.sh does)");
        }
    }

    private static boolean engineAnswers() {
        try (DockerEngine e = DockerEngine.connect(EngineConfig.defaults().withCallTimeout(java.time.Duration.ofSeconds(10)))) {
            return true;
        } catch (EngineUnavailableException e) {
            return false;
        }
    }

    private static boolean imageExists(String image) {
        return run(new ArrayList<>(), 30, "docker", "image", "inspect", image) == 0;
    }

    public static Path projectDir() {
        String p = System.getProperty("quire.project.dir");
        return Path.of(p != null ? p : System.getProperty("user.dir"));
    }

    /** Runs a host command, collecting stdout+stderr lines; returns the exit code (-1 on timeout). */
    public static int run(List<String> output, long timeoutSeconds, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try {
                    String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    synchronized (output) {
                        output.addAll(List.of(s.split("\n")));
                    }
                } catch (IOException ignored) {
                    // process gone
                }
            });
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            reader.join(5000);
            return p.exitValue();
        } catch (IOException e) {
            output.add(e.toString());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Host command's output as one string (fails the test on a non-zero exit). */
    public static String runOk(String... cmd) {
        List<String> out = new ArrayList<>();
        int rc = run(out, 60, cmd);
        if (rc != 0) fail(String.join(" ", cmd) + " failed (exit " + rc + "): " + String.join("\n", out));
        return String.join("\n", out).trim();
    }

    /**
     * The exec mode a test class runs in: a subclass named {@code ...AgentIT} runs its parent's tests through the exec
     * agent, the parent itself with plain {@code docker exec} (JUnit 5.10 has no class-level parameters).
     */
    public static ExecMode execModeOf(org.junit.jupiter.api.TestInfo info) {
        return info.getTestClass().map(c -> c.getSimpleName().endsWith("AgentIT")).orElse(false)
                ? ExecMode.AGENT : ExecMode.DOCKER;
    }

    /**
     * Starts a run container in the given exec mode and fails when it runs in another (an agent that silently fell
     * back would test the plain mode twice); for tests that take the mode as a parameter.
     */
    public static RunContainer startIn(DockerEngine engine, RunSpec spec, ExecMode mode) {
        RunContainer c = engine.startRun(spec.withExecMode(mode));
        if (c.execMode().mode() != mode) {
            ExecModeReport got = c.execMode();
            c.close();
            throw new AssertionError("the run container runs in mode " + got + ", not " + mode);
        }
        return c;
    }

    public static String owner(Class<?> testClass) {
        return "quire-test-" + testClass.getSimpleName() + "-" + ProcessHandle.current().pid();
    }

    public static Path newWorkspace(String name) throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(base);
        return Files.createTempDirectory(base, "quire-ws-" + name + "-");
    }

    /** {@link TestFiles#deleteTree} for temporary workspaces, where a file that cannot be deleted is no failure. */
    public static void deleteTree(Path p) {
        try {
            TestFiles.deleteTree(p);
        } catch (IOException ignored) {
            // temp files only
        }
    }

    /** The no-orphan rule: no container of this owner may survive a test class. */
    public static void assertNoContainersLeft(DockerEngine engine, String owner) {
        assertEquals(List.of(), engine.containersOf(owner), "containers left behind with label "
                + DockerEngine.LABEL_OWNER + "=" + owner);
    }
}
