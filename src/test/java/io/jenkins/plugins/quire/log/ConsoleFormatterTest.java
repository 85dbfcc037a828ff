package io.jenkins.plugins.quire.log;

import static io.jenkins.plugins.quire.log.LogFixtures.CLOCK;
import static io.jenkins.plugins.quire.log.LogFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleFormatterTest {
    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();
    private final ConsoleFormatter formatter = new ConsoleFormatter((kind, text) -> lines.add(kind + " " + text));

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
                "CMD $ make test",
                "STDOUT compiling",
                "STDERR ! warning: old",
                "STDOUT running tests",
                "STDOUT all ok",
                "EXIT exit 0 (1234 ms)",
                "JOB_END <== job test succeeded (1.5 s)",
                "JOB_START ==> job package",
                "CMD $ upload --token {{ upload_token }}",
                "STDERR ! denied for {{ upload_token }}",
                "EXIT exit 2 (15 ms)",
                "JOB_END <== job package failed (20 ms): ci.fnl:12: upload failed",
                "ERROR     stack traceback:",
                "ERROR       ci.fnl:12",
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
        assertEquals(List.of("CMD $ sleep 1000", "EXIT killed by SIGKILL (60000 ms)", "CMD $ oom",
                "EXIT exit 137 (5 ms), killed by SIGKILL", "ERROR container died: OOM killed …"), lines);
    }

    @Test
    void anOomKilledCommandSaysTheKernelKilledIt() throws Exception {
        try (RunLog log = open(new Redactor())) {
            JobLog j = log.job("a");
            j.shStart(1, "eat memory");
            j.shExit(1, 137, 5, "SIGKILL", true);
        }
        assertEquals(List.of("CMD $ eat memory", "EXIT exit 137 (5 ms), killed by the kernel (out of memory)"), lines);
    }

    @Test
    void aPartialLineIsCompletedByTheNextChunkOrFlushedBeforeTheExitLine() throws Exception {
        try (RunLog log = open(new Redactor())) {
            JobLog j = log.job("a");
            j.shStart(1, "x");
            out(j, 1, "hel");
            assertEquals(List.of("CMD $ x"), lines);
            out(j, 1, "lo\nwor");
            err(j, 1, "e1");
            assertEquals(List.of("CMD $ x", "STDOUT hello"), lines);
            j.shExit(1, 0, 1, null);
        }
        assertEquals(List.of("CMD $ x", "STDOUT hello", "STDOUT wor", "STDERR ! e1", "EXIT exit 0 (1 ms)"), lines);
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
        assertEquals(List.of("CMD $ x", "STDOUT ", "STDOUT ", "STDOUT b\uFFFD", "EXIT exit 0 (1 ms)"), lines);
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
        assertEquals("STDOUT " + "y".repeat(ConsoleFormatter.MAX_LINE), lines.get(1));
        assertEquals("STDOUT " + "y".repeat(10), lines.get(2));
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
        new ConsoleFormatter((k, t) -> lines.add(t)).onEvent(null, new LogEvent.RunEnd(LogFixtures.T0, RunStatus.SUCCESS, 5));
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
        assertEquals(List.of("CMD $ set -e", "CMD > make", "CMD > make test", "CMD $ "), lines);
    }
}
