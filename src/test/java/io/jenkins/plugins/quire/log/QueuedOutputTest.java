package io.jenkins.plugins.quire.log;

import static io.jenkins.plugins.quire.log.LogFixtures.CLOCK;
import static io.jenkins.plugins.quire.log.LogFixtures.joined;
import static io.jenkins.plugins.quire.log.LogFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output queued for the run's writer thread ({@link JobLog#outputLater}): the bound on queued bytes holds against a
 * slow console (the producer blocks), events keep their order per job and stream with several jobs writing at once,
 * secrets split across queued chunks are still redacted, and close writes everything queued.
 */
class QueuedOutputTest {
    @TempDir
    Path dir;

    private static final int KIB = 1024;

    /** A listener that blocks on its first output event until released, then takes {@code delayMs} per event. */
    private static final class SlowConsole implements LogListener {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final long delayMs;
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());

        SlowConsole(long delayMs) {
            this.delayMs = delayMs;
        }

        @Override
        public void onEvent(String job, LogEvent e) {
            seen.add(job + " " + e.kind());
            if (!(e instanceof LogEvent.Output)) return;
            entered.countDown();
            try {
                release.await();
                if (delayMs > 0) Thread.sleep(delayMs);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aStuckConsoleBlocksTheProducerAndTheQueuedBytesNeverPassTheBound() throws Exception {
        int bound = 16 * KIB;
        int chunks = 400;
        SlowConsole console = new SlowConsole(1);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (RunLog log = RunLog.open(dir, null, List.of(), new Redactor(), CLOCK, bound)) {
            log.addListener(console);
            JobLog job = log.job("loud");
            job.shStart(1, "yes");
            AtomicInteger handedOver = new AtomicInteger();
            Thread producer = new Thread(() -> {
                for (int i = 0; i < chunks; i++) {
                    byte[] b = chunk(i, KIB);
                    job.outputLater(OutputKind.STDOUT, 1, b, 0, b.length);
                    handedOver.incrementAndGet();
                }
            });
            for (int i = 0; i < chunks; i++) expected.writeBytes(chunk(i, KIB));
            producer.start();
            try {
                whileTheConsoleIsStuck(log, console, producer, handedOver, bound);
            } finally {
                console.release.countDown(); // now a slow console, 1 ms per event
            }
            producer.join(TimeUnit.SECONDS.toMillis(60));

            assertFalse(producer.isAlive());
            job.shExit(1, 0, 1, null);
            assertTrue(log.writer().peakQueuedBytes() <= bound,
                    "peak " + log.writer().peakQueuedBytes() + " bytes queued, bound " + bound);
            assertTrue(log.writer().peakQueuedBytes() >= bound - KIB, "the queue should have filled up");
        }
        List<LogEvent> events = JsonlReader.readAll(dir.resolve("jobs/loud/log.jsonl"));
        assertArrayEquals(expected.toByteArray(), joined(events, OutputKind.STDOUT));
        assertEquals("sh-exit", events.get(events.size() - 1).kind());
    }

    /**
     * Only a job's first {@code sh-start} waits for the writer (creating the file is where a bad folder shows); a
     * later one is queued, so the command can start while the writer is busy, and it still lands in order.
     */
    @Test
    void aLaterShStartDoesNotWaitForTheWriterAndKeepsItsPlace() throws Exception {
        SlowConsole console = new SlowConsole(0);
        try (RunLog log = RunLog.open(dir, null, List.of(), new Redactor(), CLOCK, 64 * KIB)) {
            log.addListener(console);
            JobLog job = log.job("j");
            job.shStart(1, "first");
            byte[] b = chunk(1, KIB);
            job.outputLater(OutputKind.STDOUT, 1, b, 0, b.length);
            assertTrue(console.entered.await(10, TimeUnit.SECONDS)); // the writer is stuck in the console now
            Thread second = new Thread(() -> job.shStart(2, "second"));
            second.start();
            second.join(TimeUnit.SECONDS.toMillis(10));
            boolean returnedWhileStuck = !second.isAlive();
            console.release.countDown();
            assertTrue(returnedWhileStuck, "sh-start waited for the stuck writer");
            job.shExit(2, 0, 1, null);
        }
        List<String> kinds = new ArrayList<>();
        for (LogEvent e : JsonlReader.readAll(dir.resolve("jobs/j/log.jsonl"))) kinds.add(e.kind());
        assertEquals(List.of("sh-start", "stdout", "sh-start", "sh-exit"), kinds);
        assertEquals(List.of("j sh-start", "j stdout", "j sh-start", "j sh-exit"), console.seen);
    }

    /** The writer is stuck in the console: the producer fills the queue up to the bound, then waits. */
    private static void whileTheConsoleIsStuck(RunLog log, SlowConsole console, Thread producer,
            AtomicInteger handedOver, int bound) throws InterruptedException {
        assertTrue(console.entered.await(10, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (producer.getState() != Thread.State.WAITING && producer.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(Thread.State.WAITING, producer.getState(), "the producer should block on the full queue");
        Thread.sleep(100); // and stay blocked
        int whileStuck = handedOver.get();
        assertTrue(whileStuck <= bound / KIB + 1, "handed over " + whileStuck + " chunks of 1 KiB past a bound of "
                + bound + " bytes");
        assertTrue(log.writer().queuedBytes() <= bound, log.writer().queuedBytes() + " bytes queued");
    }

    @Test
    void severalJobsAndStreamsAtOnceKeepTheirOrderAndShExitComesAfterItsOutput() throws Exception {
        String[] jobs = {"a", "b", "c"};
        int chunks = 300;
        Map<String, List<String>> consoleOrder = new LinkedHashMap<>();
        Redactor redactor = new Redactor();
        redactor.add("tok", "hunter2");
        try (RunLog log = RunLog.open(dir, null, List.of(jobs), redactor, CLOCK, 8 * KIB)) {
            log.addListener((job, e) -> {
                if (job != null) consoleOrder.computeIfAbsent(job, k -> new ArrayList<>()).add(describe(e));
            });
            List<Thread> threads = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (String id : jobs) {
                threads.add(new Thread(() -> {
                    JobLog job = log.job(id);
                    await(go);
                    for (int n = 1; n <= 3; n++) {
                        job.shStart(n, "run " + n);
                        int sh = n;
                        Thread err = new Thread(() -> {
                            for (int i = 0; i < chunks; i++) {
                                byte[] b = utf8(id + sh + " err " + i + "\n");
                                job.outputLater(OutputKind.STDERR, sh, b, 0, b.length);
                            }
                        });
                        err.start();
                        for (int i = 0; i < chunks; i++) {
                            // the secret cut in two by the chunk boundary
                            byte[] b = utf8(i % 2 == 0 ? id + sh + " out " + i + " hun" : "ter2\n");
                            job.outputLater(OutputKind.STDOUT, sh, b, 0, b.length);
                        }
                        join(err);
                        job.shExit(sh, 0, 1, null);
                    }
                    log.jobEnd(id, JobState.SUCCEEDED, 1, null, null);
                }));
            }
            threads.forEach(Thread::start);
            go.countDown();
            for (Thread t : threads) join(t);
        }
        for (String id : jobs) {
            List<LogEvent> events = JsonlReader.readAll(dir.resolve("jobs/" + id + "/log.jsonl"));
            assertEquals(consoleOrder.get(id), events.stream().map(QueuedOutputTest::describe).toList(),
                    "the console sees job " + id + "'s events in file order");
            int at = 0;
            for (int n = 1; n <= 3; n++) {
                assertEquals(new LogEvent.ShStart(LogFixtures.T0, n, "run " + n), events.get(at), "job " + id);
                int end = at + 1;
                while (!(events.get(end) instanceof LogEvent.ShExit)) end++;
                List<LogEvent> sh = events.subList(at + 1, end);
                for (LogEvent e : sh) assertEquals(n, ((LogEvent.Output) e).n(), "output of sh " + n + " only");
                StringBuilder err = new StringBuilder();
                for (int i = 0; i < chunks; i++) err.append(id).append(n).append(" err ").append(i).append('\n');
                assertEquals(expectedStdout(id, n, chunks), text(sh, OutputKind.STDOUT), "job " + id + " sh " + n);
                assertEquals(err.toString(), text(sh, OutputKind.STDERR), "job " + id + " sh " + n);
                at = end + 1;
            }
            assertEquals(at, events.size(), "nothing after the last sh-exit of job " + id);
        }
        List<LogEvent> run = JsonlReader.readAll(dir.resolve("log.jsonl"));
        assertEquals(3, run.stream().filter(e -> e instanceof LogEvent.JobEnd).count());
    }

    @Test
    void closeWritesEverythingStillQueued() throws Exception {
        SlowConsole console = new SlowConsole(2);
        console.release.countDown();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        RunLog log = RunLog.open(dir, null, List.of(), new Redactor(), CLOCK, 64 * KIB);
        log.addListener(console);
        JobLog job = log.job("a");
        job.shStart(1, "x");
        for (int i = 0; i < 60; i++) {
            byte[] b = chunk(i, KIB);
            expected.writeBytes(b);
            job.outputLater(OutputKind.STDOUT, 1, b, 0, b.length);
        }
        assertTrue(log.writer().queuedBytes() > 0, "output should still be queued when close starts");
        log.close();
        List<LogEvent> events = JsonlReader.readAll(job.file());
        assertArrayEquals(expected.toByteArray(), joined(events, OutputKind.STDOUT));
        assertEquals(1 + 60, console.seen.stream().filter(s -> s.startsWith("a ")).count(),
                "the console saw the sh-start and every chunk before close returned");
        LogWriteException e = assertThrows(LogWriteException.class,
                () -> job.outputLater(OutputKind.STDOUT, 1, new byte[1], 0, 1));
        assertTrue(e.getMessage().contains(job.file().toString()), e.getMessage());
    }

    @Test
    void anInterruptedCallerStillGetsItsEventWrittenAndKeepsItsInterrupt() throws Exception {
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            JobLog job = log.job("a");
            Thread.currentThread().interrupt();
            try {
                job.shStart(1, "x");
                byte[] b = utf8("still written\n");
                job.outputLater(OutputKind.STDOUT, 1, b, 0, b.length);
                job.shExit(1, null, 5, "SIGKILL");
                assertTrue(Thread.currentThread().isInterrupted());
            } finally {
                Thread.interrupted();
            }
            List<LogEvent> events = JsonlReader.readAll(job.file());
            assertEquals(List.of("sh-start", "stdout", "sh-exit"), events.stream().map(LogEvent::kind).toList());
        }
    }

    /** Chunk pairs {@code "<id><n> out <i> hun"} and {@code "ter2\n"} spell the secret across their boundary. */
    private static String expectedStdout(String id, int n, int chunks) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < chunks; i += 2) out.append(id).append(n).append(" out ").append(i).append(" {{ tok }}\n");
        return out.toString();
    }

    private static String text(List<LogEvent> events, OutputKind stream) {
        return new String(joined(events, stream), StandardCharsets.UTF_8);
    }

    private static String describe(LogEvent e) {
        if (e instanceof LogEvent.Output o) return o.kind() + " " + o.n() + " " + o.text();
        return e.kind();
    }

    private static byte[] chunk(int i, int size) {
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) ('a' + i % 26));
        b[size - 1] = '\n';
        return b;
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertFalse(t.isAlive(), t + " did not finish");
    }
}
