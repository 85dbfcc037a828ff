package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.DockerEngineExtension;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quire-ci run} as a real process against the real dockerd: exit codes 0/1/2/130, console and JSONL logs,
 * secrets from environment variables, SIGINT cleanup, and the sweep of a container left by a SIGKILLed JVM.
 */
class RunCommandProcessIT {
    private static final String IMAGE = DockerTestSupport.BUSYBOX;

    @TempDir Path ws;

    @RegisterExtension
    static final DockerEngineExtension DOCKER = new DockerEngineExtension("cli");

    /** Containers the command line created (owner label "cli"), space-separated. */
    private static String cliContainers() {
        return String.join(" ", DOCKER.engine().containersOf("cli"));
    }

    private Process start(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--workspace", ws.toString()));
        if (!List.of(args).contains("--image")) cmd.addAll(List.of("--image", IMAGE));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ws.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private record Result(int exit, String out, String err) {}

    private Result run(Map<String, String> env, String... args) throws Exception {
        Process p = start(env, args);
        p.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread t = new Thread(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.complete(e.toString());
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "quire-ci run finished");
        t.join();
        return new Result(p.exitValue(), out, err.get());
    }

    private void pipeline(String... lines) throws IOException {
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), String.join("\n", lines));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private String logsUnder(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> p.toString().endsWith(".jsonl")).forEach(p -> sb.append(read(p)));
        }
        return sb.toString();
    }

    @Test
    void successPrintsTheConsoleWritesLogsUnderTheWorkspaceAndExitsZero() throws Exception {
        pipeline("(local ci (require :quire.ci))",
                "(ci.job :hello [:quire/push] (fn [{: sh : secret}] (sh (.. \"echo hello \" (secret :tok))) {:ok true}))");
        Result r = run(Map.of("MY_TOKEN", "tok-value-123"), "--secret", "tok=MY_TOKEN");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("$ echo hello {{ tok }}"), r.out());
        assertTrue(r.out().contains("hello {{ tok }}"), r.out());
        assertFalse(r.out().contains("tok-value-123"), r.out());
        Path logs = ws.resolve(".quire/logs");
        assertTrue(Files.isDirectory(logs), "default logs folder");
        String all = logsUnder(logs);
        assertTrue(all.contains("\"kind\":\"run-end\""), all);
        assertFalse(all.contains("tok-value-123"), all);
    }

    @Test
    void aFailedJobExitsOneAndAnInvalidPipelineTwo() throws Exception {
        pipeline("(local ci (require :quire.ci))", "(ci.job :bad [:quire/push] (fn [{: sh}] (sh \"exit 1\") (error \"nope\")))");
        Result failed = run(Map.of(), "--logs", "out");
        assertEquals(1, failed.exit(), failed.out() + failed.err());
        assertTrue(Files.exists(ws.resolve("out/log.jsonl")), "--logs relative to the workspace");
        pipeline("(local ci (require :quire.ci))", "(ci.job :a/b [] (fn [] nil))");
        Result invalid = run(Map.of());
        assertEquals(2, invalid.exit(), invalid.out() + invalid.err());
        assertTrue(invalid.err().contains("has errors"), invalid.err());
    }

    @Test
    void setupProblemsExitTwoWithAClearMessage() throws Exception {
        pipeline("(local ci (require :quire.ci))", "(ci.job :a [:quire/push] (fn [] nil))");
        Result missing = run(Map.of(), "--image", "quire-test:does-not-exist");
        assertEquals(2, missing.exit(), missing.out() + missing.err());
        assertTrue(missing.err().contains("image 'quire-test:does-not-exist' is not available locally and could not"
                + " be pulled: "), missing.err());
        Result noEngine = run(Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock"));
        assertEquals(2, noEngine.exit(), noEngine.out() + noEngine.err());
        assertTrue(noEngine.err().toLowerCase().contains("docker"), noEngine.err());
        Result noVar = run(Map.of(), "--secret", "tok=QUIRE_TEST_UNSET_VARIABLE");
        assertEquals(2, noVar.exit());
        assertTrue(noVar.err().contains("environment variable QUIRE_TEST_UNSET_VARIABLE is not set"), noVar.err());
    }

    @Test
    void sigintKillsTheShRemovesTheContainerClosesTheLogsAndExits130() throws Exception {
        pipeline("(local ci (require :quire.ci))",
                "(ci.job :long [:quire/push] (fn [{: sh}] (sh \"echo running; sleep 300\") {:done true}))");
        Process p = start(Map.of(), "--logs", "logs");
        p.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                var in = p.getInputStream();
                int c;
                while ((c = in.read()) >= 0) {
                    synchronized (out) {
                        out.append((char) c);
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        });
        reader.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            synchronized (out) {
                if (out.indexOf("running\n") >= 0) break;
            }
            Thread.sleep(100);
        }
        long t0 = System.nanoTime();
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exited after SIGINT");
        reader.join(5000);
        assertEquals(130, p.exitValue(), out.toString());
        System.out.printf("SIGINT to exit: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        String log = read(ws.resolve("logs/log.jsonl"));
        assertTrue(log.contains("\"kind\":\"run-end\"") && log.contains("\"status\":\"aborted\""), log);
        assertTrue(read(ws.resolve("logs/jobs/long/log.jsonl")).contains("\"signal\""), "sh-exit carries the signal");
        assertEquals("", cliContainers());
    }

    @Test
    void aContainerLeftByASigkilledJvmIsRemovedByTheNextRun() throws Exception {
        pipeline("(local ci (require :quire.ci))",
                "(ci.job :long [:quire/push] (fn [{: sh}] (sh \"echo running; sleep 300\") {:done true}))");
        Process p = start(Map.of(), "--logs", "killed");
        p.getOutputStream().close();
        var in = p.getInputStream();
        StringBuilder out = new StringBuilder();
        int c;
        while (out.indexOf("running\n") < 0 && (c = in.read()) >= 0) out.append((char) c);
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String left = cliContainers();
        assertFalse(left.isEmpty(), "the killed JVM left its container behind");
        pipeline("(local ci (require :quire.ci))", "(ci.job :quick [:quire/push] (fn [] {:ok true}))");
        Result next = run(Map.of());
        assertEquals(0, next.exit(), next.out() + next.err());
        String after = cliContainers();
        for (String id : left.split("\\s+")) assertFalse(after.contains(id), "leftover " + id + " was swept");
    }
}
