package io.jenkins.plugins.quire.log;

import static io.jenkins.plugins.quire.log.LogFixtures.CLOCK;
import static io.jenkins.plugins.quire.log.LogFixtures.T0;
import static io.jenkins.plugins.quire.log.LogFixtures.lines;
import static io.jenkins.plugins.quire.log.LogFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogEventsTest {
    @TempDir
    Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void everyEventKindIsWrittenWithTheDocumentedFieldOrder() throws Exception {
        JsonNode outputs = mapper.readTree("{\"sha\":\"abc\",\"n\":[1,2]}");
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            log.containerStart("debian:bookworm", "3f2a1b0c9d8e77");
            log.jobStart("test");
            JobLog job = log.job("test");
            job.shStart(1, "make test");
            job.stdout(1, utf8("ok\n"), 0, 3);
            job.stderr(1, utf8("warn\n"), 0, 5);
            job.shExit(1, 0, 42, null);
            job.shStart(2, "sleep 100");
            job.shExit(2, null, 7, "SIGKILL");
            log.jobEnd("test", JobState.SUCCEEDED, 1234, null, outputs);
            log.jobEnd("deploy", JobState.SKIPPED, 0, "upstream 'test' failed", null);
            log.containerDied("OOM killed");
            log.containerEnd("removed");
            log.runEnd(RunStatus.FAILURE, 5000);
        }
        String ts = "\"ts\":\"2026-11-29T20:40:01.123Z\"";
        assertEquals(List.of(
                "{" + ts + ",\"kind\":\"container-start\",\"image\":\"debian:bookworm\",\"container-id\":\"3f2a1b0c9d8e77\"}",
                "{" + ts + ",\"kind\":\"job-start\",\"job\":\"test\"}",
                "{" + ts + ",\"kind\":\"job-end\",\"job\":\"test\",\"state\":\"succeeded\",\"duration_ms\":1234,\"outputs\":{\"sha\":\"abc\",\"n\":[1,2]}}",
                "{" + ts + ",\"kind\":\"job-end\",\"job\":\"deploy\",\"state\":\"skipped\",\"duration_ms\":0,\"error\":\"upstream 'test' failed\"}",
                "{" + ts + ",\"kind\":\"container-died\",\"reason\":\"OOM killed\"}",
                "{" + ts + ",\"kind\":\"container-end\",\"status\":\"removed\"}",
                "{" + ts + ",\"kind\":\"run-end\",\"status\":\"failure\",\"duration_ms\":5000}"),
                lines(dir.resolve("log.jsonl")));
        assertEquals(List.of(
                "{" + ts + ",\"kind\":\"sh-start\",\"n\":1,\"cmd\":\"make test\"}",
                "{" + ts + ",\"kind\":\"stdout\",\"n\":1,\"data\":\"ok\\n\"}",
                "{" + ts + ",\"kind\":\"stderr\",\"n\":1,\"data\":\"warn\\n\"}",
                "{" + ts + ",\"kind\":\"sh-exit\",\"n\":1,\"exit\":0,\"duration_ms\":42}",
                "{" + ts + ",\"kind\":\"sh-start\",\"n\":2,\"cmd\":\"sleep 100\"}",
                "{" + ts + ",\"kind\":\"sh-exit\",\"n\":2,\"exit\":null,\"duration_ms\":7,\"signal\":\"SIGKILL\"}"),
                lines(dir.resolve("jobs/test/log.jsonl")));
    }

    @Test
    void thePipelineEventListsJobsWithTheirInputsAndReadsBackEqual() throws Exception {
        List<LogEvent.PipelineJob> jobs = List.of(new LogEvent.PipelineJob("a", List.of("quire/push")),
                new LogEvent.PipelineJob("b", List.of("a", "quire/push")), new LogEvent.PipelineJob("c", List.of()));
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            log.pipeline(jobs, 4);
        }
        String ts = "\"ts\":\"2026-11-29T20:40:01.123Z\"";
        assertEquals(List.of("{" + ts + ",\"kind\":\"pipeline\",\"jobs\":[{\"job\":\"a\",\"inputs\":[\"quire/push\"]},"
                + "{\"job\":\"b\",\"inputs\":[\"a\",\"quire/push\"]},{\"job\":\"c\",\"inputs\":[]}],\"parallel\":4}"),
                lines(dir.resolve("log.jsonl")));
        List<LogEvent> back = JsonlReader.readAll(dir.resolve("log.jsonl"));
        assertEquals(List.of(new LogEvent.Pipeline(T0, jobs, 4)), back);
    }

    @Test
    void theExecModeEventCarriesTheReasonOnlyWhenThereIsOneRedactedAndReadsBackEqual() throws Exception {
        Redactor redactor = new Redactor();
        redactor.add("TOKEN", "hunter2");
        try (RunLog log = RunLog.open(dir, redactor, CLOCK)) {
            log.execMode("agent", null);
            log.execMode("docker", "the exec agent died: stderr said hunter2");
        }
        String ts = "\"ts\":\"2026-11-29T20:40:01.123Z\"";
        List<String> lines = lines(dir.resolve("log.jsonl"));
        assertEquals("{" + ts + ",\"kind\":\"exec-mode\",\"mode\":\"agent\"}", lines.get(0));
        assertTrue(lines.get(1).startsWith("{" + ts + ",\"kind\":\"exec-mode\",\"mode\":\"docker\",\"reason\":\"the exec agent died: stderr said "),
                lines.get(1));
        assertFalse(lines.get(1).contains("hunter2"), lines.get(1));
        List<LogEvent> back = JsonlReader.readAll(dir.resolve("log.jsonl"));
        assertEquals(new LogEvent.ExecMode(T0, "agent", null), back.get(0));
        assertEquals("docker", ((LogEvent.ExecMode) back.get(1)).mode());
    }

    @Test
    void everyEventKindReadsBackEqual() throws Exception {
        JsonNode outputs = mapper.readTree("{\"a\":{\"b\":[true,null,1.5,\"x\"]}}");
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            log.containerStart("img", "cid");
            log.jobStart("build");
            JobLog job = log.job("build");
            job.shStart(1, "echo hi");
            job.stdout(1, utf8("hi\n"), 0, 3);
            job.stderr(1, new byte[] {(byte) 0xff, 'x'}, 0, 2);
            job.shExit(1, 137, 99, "SIGKILL");
            log.jobEnd("build", JobState.FAILED, 10, "ci.fnl:3: boom", outputs);
            log.containerDied("daemon gone");
            log.containerEnd("removed");
            log.runEnd(RunStatus.ABORTED, 11);
        }
        assertEquals(List.of(
                new LogEvent.ContainerStart(T0, "img", "cid"),
                new LogEvent.JobStart(T0, "build"),
                new LogEvent.JobEnd(T0, "build", JobState.FAILED, 10, "ci.fnl:3: boom", outputs),
                new LogEvent.ContainerDied(T0, "daemon gone"),
                new LogEvent.ContainerEnd(T0, "removed"),
                new LogEvent.RunEnd(T0, RunStatus.ABORTED, 11)),
                JsonlReader.readAll(dir.resolve("log.jsonl")));
        assertEquals(List.of(
                new LogEvent.ShStart(T0, 1, "echo hi"),
                new LogEvent.Output(T0, OutputKind.STDOUT, 1, "hi\n", false),
                new LogEvent.Output(T0, OutputKind.STDERR, 1, "/3g=", true),
                new LogEvent.ShExit(T0, 1, 137, 99, "SIGKILL")),
                JsonlReader.readAll(dir.resolve("jobs/build/log.jsonl")));
    }

    @Test
    void anOomKilledShExitCarriesOomTrueAndReadsBack() throws Exception {
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            JobLog job = log.job("mem");
            job.shStart(1, "eat");
            job.shExit(1, 137, 12, "SIGKILL", true);
            job.shStart(2, "fine");
            job.shExit(2, 0, 3, null, false);
        }
        List<String> written = lines(dir.resolve("jobs/mem/log.jsonl"));
        assertTrue(written.get(1).endsWith(",\"kind\":\"sh-exit\",\"n\":1,\"exit\":137,\"duration_ms\":12,"
                + "\"signal\":\"SIGKILL\",\"oom\":true}"), written.get(1));
        assertFalse(written.get(3).contains("oom"), written.get(3));
        List<LogEvent> read = JsonlReader.readAll(dir.resolve("jobs/mem/log.jsonl"));
        assertEquals(new LogEvent.ShExit(T0, 1, 137, 12, "SIGKILL", true), read.get(1));
        assertEquals(new LogEvent.ShExit(T0, 2, 0, 3, null), read.get(3));
    }

    @Test
    void timestampsAreRfc3339UtcWithExactlyThreeFractionDigits() throws Exception {
        Clock wholeSecond = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
        try (RunLog log = RunLog.open(dir, new Redactor(), wholeSecond)) {
            log.jobStart("a");
        }
        assertTrue(lines(dir.resolve("log.jsonl")).get(0).startsWith("{\"ts\":\"2026-01-02T03:04:05.000Z\","));
        Clock nanos = Clock.fixed(Instant.parse("2026-01-02T03:04:05.987654321Z"), ZoneOffset.UTC);
        try (RunLog log = RunLog.open(dir, new Redactor(), nanos)) {
            log.jobStart("a");
        }
        assertTrue(lines(dir.resolve("log.jsonl")).get(0).startsWith("{\"ts\":\"2026-01-02T03:04:05.987Z\","));
        try (RunLog log = RunLog.open(dir, new Redactor())) {
            log.jobStart("a");
        }
        String line = lines(dir.resolve("log.jsonl")).get(0);
        assertTrue(line.matches("\\{\"ts\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\",.*"), line);
    }

    @Test
    void eachEventIsOnDiskBeforeTheNextCall() throws Exception {
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            Path runFile = dir.resolve("log.jsonl");
            assertEquals(0, JsonlReader.readAll(runFile).size());
            log.jobStart("a");
            assertEquals(1, JsonlReader.readAll(runFile).size());
            JobLog job = log.job("a");
            job.shStart(1, "x");
            job.stdout(1, utf8("line\n"), 0, 5);
            List<LogEvent> seen = JsonlReader.readAll(job.file());
            assertEquals(2, seen.size());
            assertEquals("line\n", ((LogEvent.Output) seen.get(1)).data());
            log.jobEnd("a", JobState.SUCCEEDED, 1, null, null);
            assertEquals(2, JsonlReader.readAll(runFile).size());
        }
    }

    @Test
    void writingAfterCloseFailsNamingTheFileAndKeepsWhatWasWritten() throws Exception {
        RunLog log = RunLog.open(dir, new Redactor(), CLOCK);
        log.jobStart("a");
        JobLog job = log.job("a");
        job.shStart(1, "x");
        log.close();
        log.close(); // idempotent
        List<String> runBefore = lines(dir.resolve("log.jsonl"));
        List<String> jobBefore = lines(job.file());
        LogWriteException e1 = assertThrows(LogWriteException.class, () -> log.jobStart("b"));
        assertTrue(e1.getMessage().contains(dir.resolve("log.jsonl").toString()), e1.getMessage());
        LogWriteException e2 = assertThrows(LogWriteException.class, () -> job.stdout(1, utf8("y"), 0, 1));
        assertTrue(e2.getMessage().contains(job.file().toString()), e2.getMessage());
        assertThrows(LogWriteException.class, () -> job.shExit(1, 0, 1, null));
        assertEquals(runBefore, lines(dir.resolve("log.jsonl")));
        assertEquals(jobBefore, lines(job.file()));
    }

    @Test
    void aJobFileThatCannotBeCreatedIsReportedWithItsPathAndTheRunFileStaysIntact() throws Exception {
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            log.jobStart("a");
            Files.delete(dir.resolve("jobs")); // created empty at open
            Files.writeString(dir.resolve("jobs"), "not a folder");
            LogWriteException e = assertThrows(LogWriteException.class, () -> log.job("a").shStart(1, "x"));
            assertTrue(e.getMessage().contains(dir.resolve("jobs/a/log.jsonl").toString()), e.getMessage());
            assertEquals(dir.resolve("jobs/a/log.jsonl"), e.file());
            log.jobEnd("a", JobState.FAILED, 1, "log failed", null);
        }
        List<LogEvent> run = JsonlReader.readAll(dir.resolve("log.jsonl"));
        assertEquals(2, run.size());
        assertEquals("job-end", run.get(1).kind());
    }

    @Test
    void openingALogsFolderDeletesThePreviousRunsLogsOnly() throws Exception {
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            log.jobStart("old");
            log.job("old").shStart(1, "x");
        }
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            assertEquals(List.of(), JsonlReader.readAll(dir.resolve("log.jsonl")));
            assertFalse(Files.exists(dir.resolve("jobs/old/log.jsonl")));
            assertTrue(Files.exists(dir.resolve("notes.txt")));
        }
    }

    @Test
    void skippedJobsGetNoJobFileAndQuirePushIsANestedFolder() throws Exception {
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            log.job("never");
            log.job("quire/push").shStart(1, "git rev-parse HEAD");
        }
        assertFalse(Files.exists(dir.resolve("jobs/never/log.jsonl")));
        assertTrue(Files.exists(dir.resolve("jobs/quire/push/log.jsonl")));
    }

    @Test
    void jobIdsThatEscapeTheLogsFolderAreRejected() throws Exception {
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            for (String bad : new String[] {"..", ".", "a/../b", "/abs", "a b", "", "x\\y"}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.job(bad), bad);
                assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            }
        }
    }

    @Test
    void stdoutAndStderrWrittenFromTwoThreadsKeepEveryByteInOrder() throws Exception {
        int chunks = 2000;
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            JobLog job = log.job("t");
            job.shStart(1, "both");
            CountDownLatch go = new CountDownLatch(1);
            Thread[] threads = new Thread[2];
            for (OutputKind k : OutputKind.values()) {
                threads[k.ordinal()] = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < chunks; i++) {
                        byte[] b = utf8(k.wireName() + " é" + i + "\n");
                        job.output(k, 1, b, 0, b.length);
                    }
                });
                threads[k.ordinal()].start();
            }
            go.countDown();
            for (Thread t : threads) t.join();
            job.shExit(1, 0, 1, null);
        }
        List<LogEvent> events = JsonlReader.readAll(dir.resolve("jobs/t/log.jsonl"));
        assertEquals(2 + 2 * chunks, events.size());
        for (OutputKind k : OutputKind.values()) {
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < chunks; i++) expected.append(k.wireName()).append(" é").append(i).append('\n');
            assertEquals(expected.toString(), new String(LogFixtures.joined(events, k), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFailingListenerIsDetachedWhileTheLogAndOtherListenersGoOn() throws Exception {
        List<String> seen = new java.util.ArrayList<>();
        RuntimeException boom = new IllegalStateException("console gone");
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            log.addListener((job, e) -> {
                throw boom;
            });
            log.addListener((job, e) -> seen.add(e.kind()));
            log.jobStart("a");
            log.jobEnd("a", JobState.SUCCEEDED, 1, null, null);
            assertEquals(List.of(boom), log.listenerFailures());
        }
        assertEquals(List.of("job-start", "job-end"), seen);
        assertEquals(2, JsonlReader.readAll(dir.resolve("log.jsonl")).size());
    }
}
