package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real dockerd: a kill (timeout, abort) stops the whole tree at once, so no shell goes on to its next command, and
 * every process an exec started (background, setsid, double fork, without the token variable) is gone when the exec
 * returns, while the processes of another exec still running are left alone.
 */
class ProcessKillIT {
    /** Plain docker exec here; through the exec agent in the ...AgentIT subclass. */
    static ExecMode mode;
    /**
     * Makes the shell's next child get a pid with one digit more than the shell's own (the shell 57, the child 100):
     * in /proc's text order the child then comes first, which is the order that let a shell reap its killed child
     * and run its next command when processes were killed one by one.
     */
    private static final String CHILD_SORTS_FIRST = "t=1; while [ $t -le $$ ]; do t=$((t*10)); done;"
            + " while :; do ( : ) & p=$!; wait $p; [ $p -ge $((t-1)) ] && break; done; ";

    /** Spends pids until the last one is 20 to 40 below a power of ten, so that CHILD_SORTS_FIRST has little to do. */
    private static final String NEAR_A_POWER_OF_TEN = "while :; do ( : ) & p=$!; wait $p;"
            + " t=1; while [ $t -le $p ]; do t=$((t*10)); done; [ $((t-p)) -le 40 ] && [ $((t-p)) -ge 20 ] && break; done";

    private static DockerFixture docker;
    private static RunContainer box;

    @BeforeAll
    static void start(TestInfo info) throws Exception {
        mode = DockerTestSupport.execModeOf(info);
        docker = DockerFixture.open(ProcessKillIT.class, "kill");
        box = docker.startBox("kill-1", mode);
    }

    @AfterAll
    static void stop() {
        if (docker != null) docker.close();
    }

    /** Number of processes whose command line starts with the marker. */
    private static int processesMatching(String marker) {
        RecordingListener l = new RecordingListener();
        String pattern = "^[" + marker.charAt(0) + "]" + marker.substring(1);
        box.exec(ExecRequest.shell("ps -o args | grep -c '" + pattern + "' || true"), l);
        return Integer.parseInt(l.stdout().trim());
    }

    /** Waits past the moment the file would have been written (its writer starts at once), then checks it is not. */
    private static void assertNeverWritten(String name) throws InterruptedException {
        Path f = docker.workspace().resolve(name);
        Thread.sleep(1500);
        assertFalse(Files.exists(f), "/work/" + name + " was written after the kill");
    }

    @Test
    void timeoutStopsTheShellBeforeItsNextCommand() throws Exception {
        box.exec(ExecRequest.shell(NEAR_A_POWER_OF_TEN), ExecListener.DISCARD);
        RecordingListener l = new RecordingListener();
        ExecResult r = box.exec(ExecRequest.shell(CHILD_SORTS_FIRST + "echo ready; sleep 30; touch /work/after-timeout")
                .withTimeout(Duration.ofSeconds(3)), l);
        assertEquals("ready\n", l.stdout());
        assertEquals(ExecOutcome.TIMED_OUT, r.outcome(), r.toString());
        assertEquals("SIGKILL", r.signal().orElse(null));
        assertEquals(137, r.exitCode(), "the shell itself was killed: " + r);
        assertNeverWritten("after-timeout");
        assertEquals(0, processesMatching("sleep 30"));
    }

    @Test
    void abortStopsTheShellBeforeItsNextCommand() throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        ExecListener l = new ExecListener() {
            @Override public void onStdout(byte[] data, int off, int len) { ready.countDown(); }

            @Override public void onStderr(byte[] data, int off, int len) { }
        };
        Thread aborter = new Thread(() -> {
            try {
                if (ready.await(20, TimeUnit.SECONDS)) box.abortRunningExecs("user pressed abort");
            } catch (InterruptedException ignored) {
                // the test fails on its assertions
            }
        });
        box.exec(ExecRequest.shell(NEAR_A_POWER_OF_TEN), ExecListener.DISCARD);
        aborter.start();
        ExecResult r = box.exec(ExecRequest.shell(CHILD_SORTS_FIRST + "echo ready; sleep 31; touch /work/after-abort")
                .withTimeout(Duration.ofSeconds(60)), l);
        aborter.join();
        assertEquals(ExecOutcome.ABORTED, r.outcome(), r.toString());
        assertEquals("SIGKILL", r.signal().orElse(null));
        assertEquals(137, r.exitCode(), "the shell itself was killed: " + r);
        assertNeverWritten("after-abort");
        assertEquals(0, processesMatching("sleep 31"));
    }

    @Test
    void aTimeoutAlsoKillsChildrenWithoutTheTokenVariable() {
        ExecResult r = box.exec(ExecRequest.shell("env -u " + RunContainer.TOKEN_VARIABLE
                + " sleep 320 >/dev/null 2>&1 & sleep 321").withTimeout(Duration.ofSeconds(1)), ExecListener.DISCARD);
        assertEquals(ExecOutcome.TIMED_OUT, r.outcome(), r.toString());
        assertEquals(0, processesMatching("sleep 32"));
    }

    /** Each way a background child can leave its shell: none survives the exec. */
    @ParameterizedTest
    @ValueSource(strings = {
            "sleep 302 >/dev/null 2>&1 &",
            "setsid sleep 302 >/dev/null 2>&1 &",
            "( (sleep 302 >/dev/null 2>&1 &) & )",
            "env -u QUIRE_EXEC_TOKEN sleep 302 >/dev/null 2>&1 &",
            "env -u QUIRE_EXEC_TOKEN sleep 302 &",
            "env -u QUIRE_EXEC_TOKEN setsid sh -c '(sleep 302 &)' >/dev/null 2>&1; ",
    })
    void backgroundChildrenAreGoneWhenTheExecReturns(String start) {
        RecordingListener l = new RecordingListener();
        ExecResult r = box.exec(ExecRequest.shell(start + "\n sleep 0.2; echo x").withTimeout(Duration.ofSeconds(30)), l);
        assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), r.toString());
        assertEquals("x\n", l.stdout());
        assertEquals(0, processesMatching("sleep 302"), "left behind by: " + start);
    }

    @Test
    void aDetachedChildDoesNotRunDuringTheNextExec() throws Exception {
        ExecResult r = box.exec(ExecRequest.shell("(sleep 1; touch /work/detached) >/dev/null 2>&1 & echo x"),
                ExecListener.DISCARD);
        assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), r.toString());
        assertEquals(ExecOutcome.SUCCEEDED, box.exec(ExecRequest.shell("sleep 2"), ExecListener.DISCARD).outcome());
        assertNeverWritten("detached");
    }

    @Test
    void theEndOfOneExecLeavesAnotherRunningExecAlone() throws Exception {
        CountDownLatch up = new CountDownLatch(1);
        ExecListener l = new ExecListener() {
            @Override public void onStdout(byte[] data, int off, int len) { up.countDown(); }

            @Override public void onStderr(byte[] data, int off, int len) { }
        };
        AtomicReference<ExecResult> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(box.exec(ExecRequest.shell(
                "sleep 340 & env -u QUIRE_EXEC_TOKEN sleep 341 >/dev/null 2>&1 &"
                        + " env -u QUIRE_EXEC_TOKEN setsid sleep 342 >/dev/null 2>&1 & echo up; wait"), l)));
        t.start();
        try {
            assertTrue(up.await(20, TimeUnit.SECONDS), "the other exec started");
            // "up" comes once the shell has forked its three children, not once each has exec'd its sleep (env
            // -u ... sleep 341 is not yet "sleep 341"): wait for all three, so that a missing one below was killed
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (processesMatching("sleep 34") < 3 && System.nanoTime() - until < 0) Thread.sleep(20);
            assertEquals(3, processesMatching("sleep 34"), "the other exec's three sleeps are running");
            assertEquals(ExecOutcome.SUCCEEDED, box.exec(ExecRequest.shell("sleep 343 >/dev/null 2>&1 & true"),
                    ExecListener.DISCARD).outcome());
            assertEquals(3, processesMatching("sleep 34"), "the running exec keeps its processes; the ended one does not");
        } finally {
            box.abortRunningExecs("test over");
            t.join();
        }
        assertEquals(ExecOutcome.ABORTED, other.get().outcome());
        assertEquals(0, processesMatching("sleep 34"));
        assertEquals(ExecOutcome.SUCCEEDED, box.exec(ExecRequest.argv("true"), ExecListener.DISCARD).outcome(),
                "the container's own processes survive every kill");
    }

    /** Root in the container cannot read a non-root process's environment (no CAP_SYS_PTRACE): kills must not need it. */
    @Test
    void killsReachTheProcessesOfANonRootExecUser() {
        RunContainer other = docker.engine().startRun(RunSpec.of(DockerTestSupport.BUSYBOX, docker.workspace(), "kill-2",
                docker.owner()).withExecMode(mode).withNetworkMode("none").withUser("1000:1000"));
        try {
            ExecResult r = other.exec(ExecRequest.shell("sleep 350 & sleep 351").withTimeout(Duration.ofSeconds(1)),
                    ExecListener.DISCARD);
            assertEquals(ExecOutcome.TIMED_OUT, r.outcome(), r.toString());
            assertEquals(137, r.exitCode(), r.toString());
            ExecResult left = other.exec(ExecRequest.shell("sleep 352 >/dev/null 2>&1 & true"), ExecListener.DISCARD);
            assertEquals(ExecOutcome.SUCCEEDED, left.outcome(), left.toString());
            RecordingListener l = new RecordingListener();
            ExecResult ps = other.exec(ExecRequest.shell("ps -o user,args | grep -c '^1000 *[s]leep 35' || true"), l);
            assertEquals(ExecOutcome.SUCCEEDED, ps.outcome(), "the container survived: " + ps);
            assertEquals("0", l.stdout().trim());
        } finally {
            other.close();
        }
    }
}
