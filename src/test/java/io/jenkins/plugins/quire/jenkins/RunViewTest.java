package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.log.JobState;
import io.jenkins.plugins.quire.log.Redactor;
import io.jenkins.plugins.quire.log.RunLog;
import io.jenkins.plugins.quire.log.RunStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Quire CI page's view model, built from JSONL fixtures (no Hudson). */
class RunViewTest {
    @TempDir
    Path logs;

    @Test
    void finishedRunShowsStatusDurationImageAndJobsInLogOrder() throws Exception {
        QuireRunFixtures.writeFinishedRun(logs);
        RunView v = RunView.read(logs, false);
        assertTrue(v.isPresent());
        assertTrue(v.isEnded());
        assertFalse(v.isLive());
        assertEquals("failure", v.getState());
        assertEquals(3600, v.getDurationMs());
        assertEquals("3.6 s", v.getDuration());
        assertEquals("debian:bookworm", v.getImage());
        assertEquals("c0ffee", v.getContainerId());
        assertNull(v.getDeathReason());
        assertEquals("removed", v.getContainerEndStatus());
        assertEquals(List.of("build", "test", "deploy"), ids(v));
        assertEquals("1 succeeded, 1 failed, 1 skipped", v.getJobSummary());
        assertTrue(v.getProblems().isEmpty(), v.getProblems().toString());
    }

    @Test
    void jobsCarryStateDurationReasonAndPrettyOutputs() throws Exception {
        QuireRunFixtures.writeFinishedRun(logs);
        List<JobView> jobs = RunView.read(logs, false).getJobs();
        JobView build = jobs.get(0), test = jobs.get(1), deploy = jobs.get(2);
        assertEquals("succeeded", build.getState());
        assertEquals("1.2 s", build.getDuration());
        assertNull(build.getReason());
        assertTrue(build.getOutputsJson().contains("\"tested\" : \"abc123\""), build.getOutputsJson());
        assertTrue(build.getOutputsJson().contains("\n"), "pretty-printed over several lines");
        assertEquals("failed", test.getState());
        assertEquals("ci.fnl:12: tests failed " + QuireRunFixtures.SCRIPT_PAYLOAD, test.getReason());
        assertNull(test.getOutputsJson());
        assertTrue(test.isExpanded());
        assertEquals("skipped", deploy.getState());
        assertEquals("upstream 'test' failed", deploy.getReason());
        assertFalse(deploy.isExpanded());
        assertEquals("jobs/test/log.jsonl", test.getRawPath());
        assertTrue(deploy.getShBlocks().isEmpty());
        assertNull(deploy.getRawPath(), "a skipped job has no log file to link to");
    }

    @Test
    void shBlocksKeepCommandInterleavedStreamsExitAndDuration() throws Exception {
        QuireRunFixtures.writeFinishedRun(logs);
        JobView build = RunView.read(logs, false).getJobs().get(0);
        assertEquals(2, build.getShBlocks().size());
        ShBlockView make = build.getShBlocks().get(0);
        assertEquals(1, make.getN());
        assertEquals("make build", make.getCmd());
        assertEquals(List.of("stdout:compiling\n", "stderr:warning: unused\n", "stdout:done\n"), chunks(make));
        assertTrue(make.getChunks().get(1).isStderr());
        assertEquals(Integer.valueOf(0), make.getExit());
        assertEquals("exit 0", make.getResult());
        assertEquals("ok", make.getOutcome());
        assertEquals("800 ms", make.getDuration());
        assertFalse(make.isRunning());
    }

    @Test
    void base64OutputIsDecodedLenientlyForDisplay() throws Exception {
        QuireRunFixtures.writeFinishedRun(logs);
        ShBlockView bytes = RunView.read(logs, false).getJobs().get(0).getShBlocks().get(1);
        assertEquals(List.of("stdout:ok\uFFFD\n"), chunks(bytes));
    }

    @Test
    void killedShShowsExitAndSignal() throws Exception {
        QuireRunFixtures.writeFinishedRun(logs);
        List<ShBlockView> sh = RunView.read(logs, false).getJobs().get(1).getShBlocks();
        assertEquals("failed", sh.get(0).getOutcome());
        assertEquals("exit 2", sh.get(0).getResult());
        assertEquals("killed", sh.get(1).getOutcome());
        assertEquals("exit 137, signal KILL", sh.get(1).getResult());
        assertEquals("KILL", sh.get(1).getSignal());
        assertFalse(sh.get(1).isHasOutput());
    }

    @Test
    void oomKilledShSaysTheKernelKilledIt() throws Exception {
        QuireRunFixtures.write(logs.resolve("log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.000Z\",\"kind\":\"container-start\",\"image\":\"alpine:3\",\"container-id\":\"abc\"}",
                "{\"ts\":\"2026-11-29T20:00:00.100Z\",\"kind\":\"job-start\",\"job\":\"a\"}");
        QuireRunFixtures.write(logs.resolve("jobs/a/log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.200Z\",\"kind\":\"sh-start\",\"n\":1,\"cmd\":\"eat-memory\"}",
                "{\"ts\":\"2026-11-29T20:00:00.300Z\",\"kind\":\"sh-exit\",\"n\":1,\"exit\":137,\"duration_ms\":100,"
                        + "\"signal\":\"SIGKILL\",\"oom\":true}");
        ShBlockView sh = RunView.read(logs, false).getJobs().get(0).getShBlocks().get(0);
        assertTrue(sh.isOom());
        assertEquals("killed", sh.getOutcome());
        assertEquals("exit 137, killed by the kernel (out of memory)", sh.getResult());
    }

    @Test
    void runningRunIgnoresTornLinesAndShowsRunningJobAndSh() throws Exception {
        QuireRunFixtures.writeRunningRun(logs);
        RunView v = RunView.read(logs, true);
        assertFalse(v.isEnded());
        assertTrue(v.isLive());
        assertEquals("running", v.getState());
        assertEquals(List.of("a", "b"), ids(v));
        assertEquals("succeeded", v.getJobs().get(0).getState());
        JobView b = v.getJobs().get(1);
        assertEquals("running", b.getState());
        assertTrue(b.isExpanded());
        ShBlockView sh = b.getShBlocks().get(0);
        assertTrue(sh.isRunning());
        assertEquals("running", sh.getResult());
        assertEquals(List.of("stdout:step 1 of 3\n"), chunks(sh));
        assertTrue(v.getProblems().isEmpty(), v.getProblems().toString());
        assertNull(b.getLogProblem());
    }

    @Test
    void reloadAfterMoreEventsShowsTheFinishedRun() throws Exception {
        QuireRunFixtures.writeRunningRun(logs);
        RunView.read(logs, true);
        QuireRunFixtures.finishRunningRun(logs);
        RunView v = RunView.read(logs, true);
        assertEquals("success", v.getState());
        assertFalse(v.isLive());
        JobView b = v.getJobs().get(1);
        assertEquals("succeeded", b.getState());
        assertEquals(List.of("stdout:step 1 of 3\nstep 2 of 3\n"), chunks(b.getShBlocks().get(0)));
        assertEquals("exit 0", b.getShBlocks().get(0).getResult());
    }

    @Test
    void stoppedBuildWithoutRunEndIsIncompleteAndItsOpenJobUnfinished() throws Exception {
        QuireRunFixtures.writeRunningRun(logs);
        RunView v = RunView.read(logs, false);
        assertEquals("incomplete", v.getState());
        assertFalse(v.isLive());
        assertEquals("unfinished", v.getJobs().get(1).getState());
        assertEquals("succeeded", v.getJobs().get(0).getState());
    }

    @Test
    void containerDeathIsShownWithItsReason() throws Exception {
        QuireRunFixtures.writeContainerDiedRun(logs);
        RunView v = RunView.read(logs, false);
        assertEquals("container-died", v.getState());
        assertEquals("OOMKilled", v.getDeathReason());
        assertEquals("container died: OOMKilled", v.getJobs().get(0).getReason());
        ShBlockView sh = v.getJobs().get(0).getShBlocks().get(0);
        assertTrue(sh.isRunning(), "no sh-exit was logged");
    }

    @Test
    void missingLogsFolderIsNotPresent() {
        RunView v = RunView.read(logs.resolve("nothing-here"), true);
        assertFalse(v.isPresent());
        assertTrue(v.getJobs().isEmpty());
        assertEquals("no jobs", v.getJobSummary());
    }

    @Test
    void corruptCompleteLineBecomesAProblemNamingFileAndLine() throws Exception {
        QuireRunFixtures.write(logs.resolve("log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.100Z\",\"kind\":\"job-start\",\"job\":\"a\"}",
                "this is not json",
                "{\"ts\":\"2026-11-29T20:00:01.000Z\",\"kind\":\"run-end\",\"status\":\"success\",\"duration_ms\":1000}");
        RunView v = RunView.read(logs, false);
        assertEquals(1, v.getProblems().size());
        String p = v.getProblems().get(0);
        assertTrue(p.contains("log.jsonl:2"), p);
        assertFalse(v.isEnded(), "JsonlReader stops at the bad line, so the run-end after it is not seen");
    }

    @Test
    void unsafeJobIdIsShownButItsLogIsNotRead() throws Exception {
        QuireRunFixtures.write(logs.resolve("log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.100Z\",\"kind\":\"job-end\",\"job\":\"../../etc\",\"state\":\"skipped\",\"duration_ms\":0}");
        JobView j = RunView.read(logs, false).getJobs().get(0);
        assertEquals("../../etc", j.getId());
        assertNull(j.getRawPath());
        assertNotNull(j.getLogProblem());
        assertTrue(j.getShBlocks().isEmpty());
    }

    @Test
    void runLogOnlyViewSkipsJobLogs() throws Exception {
        QuireRunFixtures.writeFinishedRun(logs);
        RunView v = RunView.readRunLogOnly(logs, false);
        assertEquals("failure", v.getState());
        assertEquals(3, v.getJobs().size());
        assertTrue(v.getJobs().get(0).getShBlocks().isEmpty());
    }

    @Test
    void hugeOutputKeepsOnlyTheTailAndCountsTheRest() throws Exception {
        StringBuilder lines = new StringBuilder();
        lines.append("{\"ts\":\"2026-11-29T20:00:00.200Z\",\"kind\":\"sh-start\",\"n\":1,\"cmd\":\"yes\"}\n");
        String chunk = "x".repeat(60_000) + "\\n";
        int chunks = 10;
        for (int i = 0; i < chunks; i++) {
            lines.append("{\"ts\":\"2026-11-29T20:00:00.300Z\",\"kind\":\"").append(i % 2 == 0 ? "stdout" : "stderr")
                    .append("\",\"n\":1,\"data\":\"").append(chunk).append("\"}\n");
        }
        lines.append("{\"ts\":\"2026-11-29T20:00:00.400Z\",\"kind\":\"stdout\",\"n\":1,\"data\":\"THE END\\n\"}\n");
        QuireRunFixtures.write(logs.resolve("log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.100Z\",\"kind\":\"job-start\",\"job\":\"big\"}");
        Files.createDirectories(logs.resolve("jobs/big"));
        Files.write(logs.resolve("jobs/big/log.jsonl"), lines.toString().getBytes(StandardCharsets.UTF_8));
        ShBlockView sh = RunView.read(logs, true).getJobs().get(0).getShBlocks().get(0);
        long shown = sh.getChunks().stream().mapToLong(c -> c.getText().length()).sum();
        long total = chunks * 60_001L + "THE END\n".length();
        assertEquals(ShBlockView.MAX_SHOWN_CHARS, shown);
        assertEquals(total - shown, sh.getOmittedChars());
        List<OutputChunk> cs = sh.getChunks();
        assertTrue(cs.get(cs.size() - 1).getText().endsWith("THE END\n"));
    }

    @Test
    void oversizedJobLogIsNotRenderedButStillLinked() throws Exception {
        QuireRunFixtures.write(logs.resolve("log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.100Z\",\"kind\":\"job-start\",\"job\":\"huge\"}");
        Files.createDirectories(logs.resolve("jobs/huge"));
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(logs.resolve("jobs/huge/log.jsonl").toFile(), "rw")) {
            f.setLength(RunView.MAX_RENDERED_JOB_LOG_BYTES + 1); // sparse: costs no disk
        }
        JobView j = RunView.read(logs, true).getJobs().get(0);
        assertTrue(j.getShBlocks().isEmpty());
        assertTrue(j.getLogProblem().contains("see the raw log"), j.getLogProblem());
        assertEquals("jobs/huge/log.jsonl", j.getRawPath());
    }

    @Test
    void logsWrittenByTheRealWriterAreRendered() throws Exception {
        try (RunLog log = RunLog.open(logs, new Redactor())) {
            log.containerStart("alpine:3", "id1");
            log.jobStart("w");
            log.job("w").shStart(1, "echo hi");
            byte[] out = "hi\n".getBytes(StandardCharsets.UTF_8);
            log.job("w").stdout(1, out, 0, out.length);
            log.job("w").shExit(1, 0, 5, null);
            log.jobEnd("w", JobState.SUCCEEDED, 7, null, null);
            log.runEnd(RunStatus.SUCCESS, 9);
        }
        RunView v = RunView.read(logs, false);
        assertEquals("success", v.getState());
        assertEquals("alpine:3", v.getImage());
        ShBlockView sh = v.getJobs().get(0).getShBlocks().get(0);
        assertEquals("echo hi", sh.getCmd());
        assertEquals(List.of("stdout:hi\n"), chunks(sh));
    }

    private static List<String> ids(RunView v) {
        return v.getJobs().stream().map(JobView::getId).collect(Collectors.toList());
    }

    private static List<String> chunks(ShBlockView sh) {
        return sh.getChunks().stream().map(c -> c.getStream() + ":" + c.getText()).collect(Collectors.toList());
    }
}
