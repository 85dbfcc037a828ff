package io.jenkins.plugins.quire.log;

import static io.jenkins.plugins.quire.log.LogFixtures.CLOCK;
import static io.jenkins.plugins.quire.log.LogFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleFormatterTest {
    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();
    private final ManualFlushTimer timer = new ManualFlushTimer();
    private final ConsoleFormatter formatter = new ConsoleFormatter((kind, text) -> lines.add(kind + " " + text), timer);

    private RunLog open(Redactor r) throws Exception {
        RunLog log = RunLog.open(dir, r, CLOCK);
        log.addListener(formatter);
        return log;
    }

    private static void out(JobLog j, int n, String s) {
        byte[] b = utf8(s);
        j.stdout(n, b, 0, b.length);
    }

    private static void err(JobLog j, int n, String s) {
        byte[] b = utf8(s);
        j.stderr(n, b, 0, b.length);
    }

    @Test
    void aSampleRunPrintsTheseExactLines() throws Exception {
        Redactor red = new Redactor();
        red.add("upload_token", "t0k3n");
        try (RunLog log = open(red)) {
            log.pipeline(List.of(new LogEvent.PipelineJob("test", List.of("quire/push")),
                    new LogEvent.PipelineJob("package", List.of("test")),
                    new LogEvent.PipelineJob("deploy", List.of("package"))), 1);
            log.containerStart("debian:bookworm", "3f2a1b0c9d8e77665544");
            log.jobStart("test");
            JobLog test = log.job("test");
            test.shStart(1, "make test");
            out(test, 1, "compiling\nrunning te");
            err(test, 1, "warning: old\n");
            out(test, 1, "sts\r\nall ok");
            test.shExit(1, 0, 1234, null);
            log.jobEnd("test", JobState.SUCCEEDED, 1530, null, new ObjectMapper().readTree("{\"tested\":\"abc\"}"));
            log.jobStart("package");
            JobLog pkg = log.job("package");
            pkg.shStart(1, "upload --token t0k3n");
            err(pkg, 1, "denied for t0k3n");
            pkg.shExit(1, 2, 15, null);
            log.jobEnd("package", JobState.FAILED, 20, "ci.fnl:12: upload failed\nstack traceback:\n  ci.fnl:12", null);
            log.jobEnd("deploy", JobState.SKIPPED, 0, "upstream 'package' failed", null);
            log.containerEnd("removed");
            log.runEnd(RunStatus.FAILURE, 125_000);
        }
        assertEquals(List.of(
                "INFO container started: debian:bookworm (3f2a1b0c9d8e)",
                "JOB_START ==> job test",
                "CMD test    | $ make test",
                "STDOUT test    | compiling",
                "STDERR test    | ! warning: old",
                "STDOUT test    | running tests",
                "STDOUT test    | all ok",
                "EXIT test    | exit 0 (1234 ms)",
                "JOB_END <== job test succeeded (1.5 s)",
                "JOB_START ==> job package",
                "CMD package | $ upload --token {{ upload_token }}",
                "STDERR package | ! denied for {{ upload_token }}",
                "EXIT package | exit 2 (15 ms)",
                "JOB_END <== job package failed (20 ms): ci.fnl:12: upload failed",
                "ERROR package |     stack traceback:",
                "ERROR package |       ci.fnl:12",
                "JOB_END <== job deploy skipped (0 ms): upstream 'package' failed",
                "INFO container ended: removed",
                "SUMMARY Summary:",
                "SUMMARY   job      state      duration  reason",
                "SUMMARY   test     succeeded  1.5 s",
                "SUMMARY   package  failed     20 ms     ci.fnl:12: upload failed …",
                "SUMMARY   deploy   skipped    0 ms      upstream 'package' failed",
                "SUMMARY Result: FAILURE (2m 05s)"),
                lines);
    }

    @Test
    void killedCommandsAndDeadContainersAreShown() throws Exception {
        try (RunLog log = open(new Redactor())) {
            JobLog j = log.job("a");
            j.shStart(1, "sleep 1000");
            j.shExit(1, null, 60_000, "SIGKILL");
            j.shStart(2, "oom");
            j.shExit(2, 137, 5, "SIGKILL");
            log.containerDied("OOM killed\nmore");
        }
        assertEquals(List.of("CMD a | $ sleep 1000", "EXIT a | killed by SIGKILL (60000 ms)", "CMD a | $ oom",
                "EXIT a | exit 137 (5 ms), killed by SIGKILL", "ERROR container died: OOM killed …"), lines);
    }

    @Test
    void anOomKilledCommandSaysTheKernelKilledIt() throws Exception {
        try (RunLog log = open(new Redactor())) {
            JobLog j = log.job("a");
            j.shStart(1, "eat memory");
            j.shExit(1, 137, 5, "SIGKILL", true);
        }
        assertEquals(List.of("CMD a | $ eat memory", "EXIT a | exit 137 (5 ms), killed by the kernel (out of memory)"),
                lines);
    }

    @Test
    void aPartialLineIsCompletedByTheNextChunkOrFlushedBeforeTheExitLine() throws Exception {
        try (RunLog log = open(new Redactor())) {
            JobLog j = log.job("a");
            j.shStart(1, "x");
            out(j, 1, "hel");
            assertEquals(List.of("CMD a | $ x"), lines);
            out(j, 1, "lo\nwor");
            err(j, 1, "e1");
            assertEquals(List.of("CMD a | $ x", "STDOUT a | hello"), lines);
            j.shExit(1, 0, 1, null);
        }
        assertEquals(List.of("CMD a | $ x", "STDOUT a | hello", "STDOUT a | wor", "STDERR a | ! e1",
                "EXIT a | exit 0 (1 ms)"), lines);
    }

    @Test
    void emptyLinesAndBinaryOutputAreShownReadably() throws Exception {
        try (RunLog log = open(new Redactor())) {
            JobLog j = log.job("a");
            j.shStart(1, "x");
            out(j, 1, "\n\n");
            j.stdout(1, new byte[] {'b', (byte) 0xFF, '\n'}, 0, 3);
            j.shExit(1, 0, 1, null);
        }
        assertEquals(List.of("CMD a | $ x", "STDOUT a | ", "STDOUT a | ", "STDOUT a | b\uFFFD", "EXIT a | exit 0 (1 ms)"),
                lines);
    }

    @Test
    void anOverlongLineIsCutSoMemoryStaysBounded() throws Exception {
        try (RunLog log = open(new Redactor())) {
            JobLog j = log.job("a");
            j.shStart(1, "x");
            out(j, 1, "y".repeat(ConsoleFormatter.MAX_LINE + 10) + "\n");
            j.shExit(1, 0, 1, null);
        }
        assertEquals(4, lines.size());
        assertEquals("STDOUT a | " + "y".repeat(ConsoleFormatter.MAX_LINE), lines.get(1));
        assertEquals("STDOUT a | " + "y".repeat(10), lines.get(2));
    }

    @Test
    void theSummaryOfARunWithoutJobsSaysSo() throws Exception {
        try (RunLog log = open(new Redactor())) {
            log.jobStart("hung");
            log.runEnd(RunStatus.ABORTED, 10);
        }
        assertEquals(List.of("JOB_START ==> job hung", "SUMMARY Summary:", "SUMMARY   job   state       duration  reason",
                "SUMMARY   hung  unfinished  -", "SUMMARY Result: ABORTED (10 ms)"), lines);
        lines.clear();
        new ConsoleFormatter((k, t) -> lines.add(t), timer).onEvent(null, new LogEvent.RunEnd(LogFixtures.T0, RunStatus.SUCCESS, 5));
        assertEquals(List.of("Summary:", "  (no jobs)", "Result: SUCCESS (5 ms)"), lines);
    }

    @Test
    void thePlainSinkPrintsEachLineWithANewline() {
        StringBuilder sb = new StringBuilder();
        ConsoleSink sink = new AppendableConsoleSink(sb);
        sink.line(LineKind.CMD, "$ make");
        sink.line(LineKind.STDERR, "! oops");
        assertEquals("$ make\n! oops\n", sb.toString());
    }

    @Test
    void durationsAreShortAndReadable() {
        assertEquals("999 ms", Durations.format(999));
        assertEquals("1.0 s", Durations.format(1000));
        assertEquals("59.9 s", Durations.format(59_999));
        assertEquals("1m 00s", Durations.format(60_000));
        assertEquals("1h 02m", Durations.format(3_720_000));
        assertTrue(Durations.format(0).equals("0 ms"));
    }

    @Test
    void aMultiLineScriptIsShownLineByLine() throws Exception {
        try (RunLog log = open(new Redactor())) {
            JobLog j = log.job("a");
            j.shStart(1, "set -e\nmake\r\nmake test");
            j.shStart(2, "");
        }
        assertEquals(List.of("CMD a | $ set -e", "CMD a | > make", "CMD a | > make test", "CMD a | $ "), lines);
    }

    @Test
    void aPartialLineIsWrittenWithTheContinuationMark200msAfterItBeganToWait() throws Exception {
        String mark = ConsoleFormatter.CONTINUED;
        try (RunLog log = open(new Redactor())) {
            JobLog j = log.job("a");
            j.shStart(1, "download");
            out(j, 1, "10%");
            timer.advance(150);
            out(j, 1, " 20%"); // still the same wait: the line has waited since "10%"
            assertEquals(List.of("CMD a | $ download"), lines);
            timer.advance(49);
            assertEquals(1, lines.size());
            timer.advance(1);
            assertEquals(List.of("CMD a | $ download", "STDOUT a | 10% 20%" + mark), lines);
            err(j, 1, "warn");
            out(j, 1, " 30%\ndone");
            assertEquals("STDOUT a |  30%", lines.get(2));
            timer.advance(ConsoleFormatter.PARTIAL_WAIT_MS);
            assertEquals(List.of("STDERR a | ! warn" + mark, "STDOUT a | done" + mark), lines.subList(3, 5));
            out(j, 1, "!\n");
            assertEquals("STDOUT a | !", lines.get(5));
            out(j, 1, "soon complete");
            out(j, 1, "d\n");
            assertEquals(0, timer.pending(), "a completed line cancels its timer");
            timer.advance(10 * ConsoleFormatter.PARTIAL_WAIT_MS);
            assertEquals("STDOUT a | soon completed", lines.get(lines.size() - 1));
            out(j, 1, "tail");
            j.shExit(1, 0, 1, null);
            assertEquals(0, timer.pending());
        }
        assertEquals(List.of("STDOUT a | tail", "EXIT a | exit 0 (1 ms)"), lines.subList(lines.size() - 2, lines.size()));
        assertEquals(9, lines.size(), lines.toString());
    }

    @Test
    void twoJobsWritingPartialChunksFromTwoThreadsNeverMixWithinALine() throws Exception {
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        ManualFlushTimer clock = new ManualFlushTimer();
        ConsoleFormatter f = new ConsoleFormatter((kind, text) -> seen.add(kind + " " + text), clock);
        List<String> ids = List.of("a", "job-bb");
        Map<String, StringBuilder> sent = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            log.addListener(f);
            log.pipeline(List.of(new LogEvent.PipelineJob("a", List.of("quire/push")),
                    new LogEvent.PipelineJob("job-bb", List.of("quire/push"))), 2);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Thread> writers = new ArrayList<>();
            for (String id : ids) {
                StringBuilder all = new StringBuilder();
                sent.put(id, all);
                JobLog j = log.job(id);
                writers.add(new Thread(() -> {
                    java.util.Random rnd = new java.util.Random(id.hashCode());
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    j.shStart(1, "loop");
                    StringBuilder text = new StringBuilder();
                    for (int i = 0; i < 3000; i++) text.append(id).append(" line ").append(i).append(i % 7 == 0 ? "" : "\n");
                    int at = 0;
                    while (at < text.length()) { // chunks that start and end anywhere in a line
                        int end = Math.min(text.length(), at + 1 + rnd.nextInt(40));
                        String chunk = text.substring(at, end);
                        all.append(chunk);
                        byte[] b = utf8(chunk);
                        j.stdout(1, b, 0, b.length);
                        at = end;
                    }
                    j.shExit(1, 0, 1, null);
                }));
            }
            Thread ticker = new Thread(() -> { // timed flushes race with the writers
                while (!done.get()) clock.advance(ConsoleFormatter.PARTIAL_WAIT_MS);
            });
            writers.forEach(Thread::start);
            ticker.start();
            go.countDown();
            for (Thread t : writers) t.join(60_000);
            done.set(true);
            ticker.join(60_000);
            log.runEnd(RunStatus.SUCCESS, 1);
        }
        for (String id : ids) {
            String column = JobColumns.of(ids).of(id).text();
            StringBuilder got = new StringBuilder();
            for (String line : seen) {
                if (!line.startsWith("STDOUT " + column)) continue;
                String rest = line.substring(("STDOUT " + column).length());
                if (rest.endsWith(ConsoleFormatter.CONTINUED)) {
                    got.append(rest, 0, rest.length() - ConsoleFormatter.CONTINUED.length());
                } else {
                    got.append(rest).append('\n');
                }
            }
            String expected = sent.get(id).toString();
            if (!expected.endsWith("\n")) expected += "\n"; // the last partial line ends at sh-exit
            assertEquals(expected, got.toString(), "every byte of " + id + " once, in order, in its own lines");
            String other = ids.get(1 - ids.indexOf(id));
            for (String line : seen) {
                if (line.contains(column)) assertTrue(!line.contains(other + " line"), "mixed line: " + line);
            }
        }
    }
}
