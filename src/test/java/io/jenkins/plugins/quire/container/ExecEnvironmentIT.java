package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real dockerd: a secret given to a command as an environment variable (the way a pipeline passes secrets) is in that
 * command's environment only: no process of the container shows it on its command line, and no process outside the
 * command's tree has it in its environment (the exec agent gets it in a request frame, never in its own argv or
 * environment), and a working directory that is not there fails the command the same way. Plain {@code docker exec}
 * here; through the exec agent in {@link ExecEnvironmentAgentIT}.
 */
class ExecEnvironmentIT {
    private static ExecMode mode;
    private static DockerFixture docker;
    private static RunContainer box;

    @BeforeAll
    static void start(TestInfo info) throws Exception {
        docker = DockerFixture.open(ExecEnvironmentIT.class, "environment");
        mode = DockerTestSupport.execModeOf(info);
        box = docker.startBox("environment-1", mode);
    }

    @AfterAll
    static void stop() {
        if (docker != null) docker.close();
    }

    @Test
    void aMissingWorkingDirectoryIsExit126WithTheDirectoryOnStderr() {
        RecordingListener l = new RecordingListener();
        ExecResult r = box.exec(ExecRequest.shell("pwd").withWorkDir("no/such/dir"), l);
        assertEquals(ExecOutcome.FAILED, r.outcome(), r.toString());
        assertEquals(126, r.exitCode(), r.toString());
        // dockerd sends runc's "chdir to cwd" error on the exec's stdout stream; the agent writes its reason on stderr
        String reason = mode == ExecMode.AGENT ? l.stderr() : l.stdout() + l.stderr();
        assertTrue(reason.contains("/work/no/such/dir"), "stdout: " + l.stdout() + " stderr: " + l.stderr());
        if (mode == ExecMode.AGENT) assertEquals("", l.stdout());
        assertFalse(r.containerDied(), r.toString());
    }

    @Test
    void aVariableIsInItsCommandsEnvironmentAndOnNoCommandLine() throws Exception {
        String secret = "qsecret" + UUID.randomUUID().toString().replace("-", "");
        // a grep pattern that matches the secret but not itself, so the scan cannot find its own command line
        String pattern = secret.charAt(0) + "[" + secret.charAt(1) + "]" + secret.substring(2);
        RecordingListener holder = new RecordingListener();
        CompletableFuture<ExecResult> held = CompletableFuture.supplyAsync(() -> box.exec(ExecRequest.shell(
                "echo up; while [ ! -e /tmp/scanned ]; do sleep 0.1; done").withEnv(Map.of("TOK", secret)), holder));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!holder.stdout().contains("up") && !held.isDone() && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals("up\n", holder.stdout(), "the command holding the variable is running: " + held);

        RecordingListener scan = new RecordingListener();
        ExecResult r = box.exec(ExecRequest.shell("for p in /proc/[0-9]*; do"
                + " c=$(tr '\\0' ' ' < $p/cmdline 2>/dev/null);"
                + " echo \"$c\" | grep -q '" + pattern + "' && echo \"cmdline $c\";"
                + " tr '\\0' '\\n' < $p/environ 2>/dev/null | grep -q '^TOK=" + pattern + "$' && echo \"environ $c\";"
                + " done; touch /tmp/scanned"), scan);
        assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), r + " " + scan.stderr());
        ExecResult end = held.get(30, TimeUnit.SECONDS);
        assertEquals(ExecOutcome.SUCCEEDED, end.outcome(), end.toString());

        List<String> found = Arrays.stream(scan.stdout().split("\n")).filter(l -> !l.isEmpty()).toList();
        assertFalse(found.stream().anyMatch(l -> l.startsWith("cmdline ")), "the secret is on a command line: " + found);
        List<String> environs = found.stream().filter(l -> l.startsWith("environ ")).toList();
        assertFalse(environs.isEmpty(), "the command's environment holds the variable: " + found);
        for (String l : environs) {
            assertTrue(l.contains("/tmp/scanned") || l.contains("sleep 0.1"),
                    "a process outside the command's tree has the variable: " + found);
        }
    }
}
