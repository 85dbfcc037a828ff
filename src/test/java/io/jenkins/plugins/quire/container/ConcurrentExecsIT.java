package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real dockerd: several execs run at once in the one container, from several threads (jobs running concurrently).
 * An abort kills every tree and nothing after the kill runs; a timeout kills only its own tree; the container's death
 * ends every exec with the one death reason, without a hung thread; many short execs each get their own output; an
 * exec's end-of-sh sweep never touches another running exec's processes.
 */
class ConcurrentExecsIT {
    /** Plain docker exec here; through the exec agent in the ...AgentIT subclass. */
    static ExecMode mode;
    private static DockerFixture docker;
    private static RunContainer box;

    @BeforeAll
    static void start(TestInfo info) throws Exception {
        mode = DockerTestSupport.execModeOf(info);
        docker = DockerFixture.open(ConcurrentExecsIT.class, "concurrent");
        box = docker.startBox("concurrent-1", mode);
    }

    @AfterAll
    static void stop() {
        if (docker != null) docker.close();
    }

    /** n execs started at once on threads of their own; each exec's listener and result are kept. */
    private static final class Parallel {
        final AtomicReferenceArray<ExecResult> results;
        final RecordingListener[] out;
        final long[] endNanos;
        final CountDownLatch up;
        final List<Thread> threads = new ArrayList<>();

        Parallel(RunContainer c, int n, IntFunction<ExecRequest> request) {
            results = new AtomicReferenceArray<>(n);
            out = new RecordingListener[n];
            endNanos = new long[n];
            up = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < n; i++) {
                int k = i;
                CountDownLatch first = new CountDownLatch(1);
                RecordingListener rec = new RecordingListener();
                out[k] = rec;
                ExecListener l = new ExecListener() {
                    @Override public void onStdout(byte[] data, int off, int len) {
                        rec.onStdout(data, off, len);
                        synchronized (first) {
                            if (first.getCount() > 0) {
                                first.countDown();
                                up.countDown();
                            }
                        }
                    }

                    @Override public void onStderr(byte[] data, int off, int len) {
                        rec.onStderr(data, off, len);
                    }
                };
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    results.set(k, c.exec(request.apply(k), l));
                    endNanos[k] = System.nanoTime();
                }, "exec-" + k);
                threads.add(t);
                t.start();
            }
            go.countDown();
        }

        /** Every exec printed its first output (so every one of them runs now). */
        void awaitUp() throws InterruptedException {
            assertTrue(up.await(60, TimeUnit.SECONDS), "every exec started within 60 s");
        }

        /** Joins every exec thread under a generous deadline: a thread still alive after it is a hang. */
        void join() throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            for (Thread t : threads) {
                t.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                assertFalse(t.isAlive(), t.getName() + " still runs: its exec hung");
            }
            for (int i = 0; i < results.length(); i++) assertNotNull(results.get(i), "exec " + i + " returned");
        }
    }

    /** Processes whose command line is exactly {@code cmd}, in `docker top` (the engine's view of the container). */
    private static long processes(RunContainer c, String cmd) {
        return DockerTestSupport.runOk("docker", "top", c.id()).lines().filter(l -> l.endsWith(" " + cmd)).count();
    }

    /** Lines of `docker top` that mention {@code text} anywhere (a shell whose script holds it counts too). */
    private static long topLines(RunContainer c, String text) {
        return DockerTestSupport.runOk("docker", "top", c.id()).lines().filter(l -> l.contains(text)).count();
    }

    private static void assertNeverWritten(String name) throws InterruptedException {
        Thread.sleep(1500);     // past the moment the file would have been written
        assertFalse(Files.exists(docker.workspace().resolve(name)), "/work/" + name + " was written after the kill");
    }

    @Test
    void anAbortKillsTheTreesOfFourRunningExecsAndNothingAfterTheKillRuns() throws Exception {
        Parallel p = new Parallel(box, 4, i -> ExecRequest.shell(
                "sleep 300 & sleep 300 & echo up; wait; touch /work/after-abort-" + i));
        p.awaitUp();
        assertEquals(8, processes(box, "sleep 300"), "four trees of two sleeps each run");
        box.abortRunningExecs("user pressed abort");
        p.join();
        for (int i = 0; i < 4; i++) {
            ExecResult r = p.results.get(i);
            assertEquals(ExecOutcome.ABORTED, r.outcome(), "exec " + i + ": " + r);
            assertEquals("aborted: user pressed abort", r.reason().orElse(null));
            assertEquals("SIGKILL", r.signal().orElse(null));
        }
        assertEquals(0, topLines(box, "sleep 300"), "no process of any aborted exec is left");
        for (int i = 0; i < 4; i++) assertNeverWritten("after-abort-" + i);
    }

    @Test
    void aTimeoutKillsOnlyItsOwnTreeWhileThreeOthersRunOnAndFinish() throws Exception {
        Parallel others = new Parallel(box, 3, i -> ExecRequest.shell(
                "for k in 1 2 3 4 5 6 7 8; do echo " + i + "-$k; sleep 0.5; done"));
        others.awaitUp();
        RecordingListener l = new RecordingListener();
        ExecResult timed = box.exec(ExecRequest.shell("sleep 310 & sleep 310 & echo up; wait; touch /work/after-timeout")
                .withTimeout(Duration.ofSeconds(1)), l);
        long timedEnd = System.nanoTime();
        others.join();
        assertEquals(ExecOutcome.TIMED_OUT, timed.outcome(), timed.toString());
        assertEquals("up\n", l.stdout());
        for (int i = 0; i < 3; i++) {
            ExecResult r = others.results.get(i);
            assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), "exec " + i + ": " + r);
            StringBuilder want = new StringBuilder();
            for (int k = 1; k <= 8; k++) want.append(i).append('-').append(k).append('\n');
            assertEquals(want.toString(), others.out[i].stdout(), "exec " + i + "'s output is complete");
            assertTrue(others.endNanos[i] > timedEnd, "exec " + i + " was still running when the timeout struck");
        }
        assertEquals(0, topLines(box, "sleep 310"));
        assertNeverWritten("after-timeout");
    }

    @Test
    void sixteenShortExecsAtOnceEachExitZeroWithTheirOwnOutput() throws Exception {
        long t0 = System.nanoTime();
        Parallel p = new Parallel(box, 16, i -> ExecRequest.argv("sh", "-c", "echo \"$1\"", "sh", "marker-" + i));
        p.join();
        for (int i = 0; i < 16; i++) {
            ExecResult r = p.results.get(i);
            assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), "exec " + i + ": " + r);
            assertEquals("marker-" + i + "\n", p.out[i].stdout());
            assertEquals("", p.out[i].stderr());
        }
        System.out.println("[ConcurrentExecsIT] 16 concurrent short execs took "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @Test
    void theEndSweepOfShortExecsNeverKillsTheProcessesOfRunningOnes() throws Exception {
        Parallel running = new Parallel(box, 2, i -> ExecRequest.shell(
                "sleep 361 & env -u QUIRE_EXEC_TOKEN sleep 362 >/dev/null 2>&1 & echo up; wait"));
        try {
            running.awaitUp();
            Parallel leaving = new Parallel(box, 4, i -> ExecRequest.shell("sleep 363 >/dev/null 2>&1 & echo left-" + i));
            leaving.join();
            for (int i = 0; i < 4; i++) {
                ExecResult r = leaving.results.get(i);
                assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), "exec " + i + ": " + r);
                assertTrue(r.backgroundProcessesKilled(), "its own background sleep was killed: " + r);
            }
            assertEquals(0, topLines(box, "sleep 363"), "what the ended execs left is gone");
            assertEquals(2, processes(box, "sleep 361"), "the running execs keep their processes");
            assertEquals(2, processes(box, "sleep 362"), "including children without the token variable");
            for (int i = 0; i < 2; i++) assertTrue(running.threads.get(i).isAlive(), "running exec " + i + " still runs");
        } finally {
            box.abortRunningExecs("test over");
            running.join();
        }
        assertEquals(0, topLines(box, "sleep 36"));
    }

    @Test
    void dockerKillWithFourExecsRunningEndsEachWithTheOneDeathReason() throws Exception {
        try (RunContainer c = docker.engine().startRun(RunSpec.of(DockerTestSupport.BUSYBOX, docker.workspace(),
                "concurrent-kill", docker.owner()).withExecMode(mode).withNetworkMode("none"))) {
            Parallel p = new Parallel(c, 4, i -> ExecRequest.shell("sleep 320 & sleep 320 & echo up; wait"));
            p.awaitUp();
            long killedAt = System.nanoTime();
            DockerTestSupport.runOk("docker", "kill", c.id());
            p.join();
            for (int i = 0; i < 4; i++) {
                ExecResult r = p.results.get(i);
                assertEquals(ExecOutcome.CONTAINER_DIED, r.outcome(), "exec " + i + ": " + r);
                assertEquals("container was killed (SIGKILL, exit code 137)", r.deathReason().orElse(null));
            }
            assertEquals(c.deathReason(), p.results.get(0).deathReason());
            long slowest = 0;
            for (long e : p.endNanos) slowest = Math.max(slowest, e - killedAt);
            System.out.println("[ConcurrentExecsIT] the last of 4 execs returned " + slowest / 1_000_000
                    + " ms after docker kill");
        }
    }
}
