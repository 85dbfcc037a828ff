package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real dockerd: execs never outlive their step (background children, timeout, abort), and kills reach the whole tree. */
class ExecTerminationIT {
    /** Plain docker exec here; through the exec agent in the ...AgentIT subclass. */
    static ExecMode mode;
    private static DockerFixture docker;
    private static RunContainer box;

    @BeforeAll
    static void start(TestInfo info) throws Exception {
        mode = DockerTestSupport.execModeOf(info);
        docker = DockerFixture.open(ExecTerminationIT.class, "termination");
        box = docker.startBox("termination-1", mode);
    }

    @AfterAll
    static void stop() {
        if (docker != null) docker.close();
    }

    /** Number of processes in the container whose command line contains the marker. */
    private static int processesMatching(String marker) {
        RecordingListener l = new RecordingListener();
        // the [s] trick keeps grep from matching its own command line
        String pattern = "[" + marker.charAt(0) + "]" + marker.substring(1);
        box.exec(ExecRequest.shell("ps -o args | grep -c '" + pattern + "' || true"), l);
        return Integer.parseInt(l.stdout().trim());
    }

    @Test
    void backgroundChildLeftBehindIsKilledAndExecReturnsPromptly() {
        RecordingListener l = new RecordingListener();
        long t0 = System.nanoTime();
        ExecResult r = box.exec(ExecRequest.shell("sleep 31 & echo started"), l);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("started\n", l.stdout());
        assertEquals(ExecOutcome.SUCCEEDED, r.outcome());
        assertEquals(0, r.exitCode());
        assertTrue(r.backgroundProcessesKilled(), r.toString());
        // a figure, not a check (no clocks in tests): dockerd alone would hold the stream ~2 s
        System.out.println("exec with a background child returned after " + ms + " ms");
        assertEquals(0, processesMatching("sleep 31"));
        assertEquals(ExecOutcome.SUCCEEDED, box.exec(ExecRequest.argv("true"), ExecListener.DISCARD).outcome(),
                "the next exec runs");
    }

    @Test
    void timeoutKillsTheWholeProcessTree() {
        RecordingListener l = new RecordingListener();
        long t0 = System.nanoTime();
        ExecResult r = box.exec(ExecRequest.shell("sleep 32 & sleep 33 & echo up; sleep 34").withTimeout(Duration.ofSeconds(1)), l);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("up\n", l.stdout());
        assertEquals(ExecOutcome.TIMED_OUT, r.outcome());
        assertEquals("SIGKILL", r.signal().orElse(null));
        assertEquals("timeout after 1 s", r.reason().orElse(null));
        assertEquals(137, r.exitCode());
        assertTrue(ms >= 1000, "the timeout fired early, after " + ms + " ms"); // late would be SUCCEEDED after 34 s
        assertEquals(0, processesMatching("sleep 3"));
    }

    @Test
    void abortFromAnotherThreadKillsTheRunningExec() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        ExecListener l = new ExecListener() {
            @Override public void onStdout(byte[] data, int off, int len) { started.countDown(); }

            @Override public void onStderr(byte[] data, int off, int len) { }
        };
        Thread aborter = new Thread(() -> {
            try {
                if (started.await(10, TimeUnit.SECONDS)) box.abortRunningExecs("user pressed abort");
            } catch (InterruptedException ignored) {
                // test ends anyway
            }
        });
        aborter.start();
        long t0 = System.nanoTime();
        ExecResult r = box.exec(ExecRequest.shell("sleep 35 & echo running; sleep 36"), l);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        aborter.join();
        assertEquals(ExecOutcome.ABORTED, r.outcome());
        assertEquals("aborted: user pressed abort", r.reason().orElse(null));
        assertEquals("SIGKILL", r.signal().orElse(null));
        System.out.println("abort ended the exec after " + ms + " ms"); // without the abort: SUCCEEDED after 36 s
        assertEquals(0, processesMatching("sleep 3"));
        assertEquals(ExecOutcome.SUCCEEDED, box.exec(ExecRequest.argv("true"), ExecListener.DISCARD).outcome(),
                "the container is still usable after an abort");
    }

    @Test
    void interruptingTheCallingThreadAbortsTheExec() {
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(700);
            } catch (InterruptedException ignored) {
                return;
            }
            caller.interrupt();
        });
        interrupter.start();
        ExecResult r = box.exec(ExecRequest.shell("sleep 37"), ExecListener.DISCARD);
        boolean flag = Thread.interrupted();
        assertTrue(flag, "the interrupt flag is kept for the caller");
        assertEquals(ExecOutcome.ABORTED, r.outcome());
        assertEquals("aborted: interrupted", r.reason().orElse(null));
        assertEquals(0, processesMatching("sleep 37"));
    }

    @Test
    void failingListenerAbortsTheExecAndIsReported() {
        ExecListener bad = new ExecListener() {
            @Override public void onStdout(byte[] data, int off, int len) { throw new IllegalStateException("disk full"); }

            @Override public void onStderr(byte[] data, int off, int len) { }
        };
        ContainerException e = org.junit.jupiter.api.Assertions.assertThrows(ContainerException.class,
                () -> box.exec(ExecRequest.shell("echo x; sleep 38"), bad));
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertEquals(0, processesMatching("sleep 38"));
    }
}
