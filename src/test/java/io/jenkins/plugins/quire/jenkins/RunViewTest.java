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
        assertTrue(p.contains("skipped"), p);
        assertTrue(v.isEnded(), "the bad line is skipped: the run-end after it is still seen");
        assertEquals(List.of("a"), ids(v));
    }

    @Test
    void corruptLineInAJobLogKeepsTheBlocksAroundIt() throws Exception {
        QuireRunFixtures.write(logs.resolve("log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.100Z\",\"kind\":\"job-start\",\"job\":\"a\"}");
        QuireRunFixtures.write(logs.resolve("jobs/a/log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.200Z\",\"kind\":\"sh-start\",\"n\":1,\"cmd\":\"one\"}",
                "{\"ts\":\"2026-11-29T20:00:00.300Z\",\"kind\":\"stdout\",\"n\":1,\"data\":\"before\\n\"}",
                "{\"ts\":\"2026-11-29T20:00:00.300Z\",\"kind\":\"stdout\",\"n\":1,\"data\":\"torn in the mi",
                "{\"ts\":\"2026-11-29T20:00:00.400Z\",\"kind\":\"sh-exit\",\"n\":1,\"exit\":0,\"duration_ms\":5}",
                "{\"ts\":\"2026-11-29T20:00:00.500Z\",\"kind\":\"sh-start\",\"n\":2,\"cmd\":\"two\"}",
                "{\"ts\":\"2026-11-29T20:00:00.600Z\",\"kind\":\"stdout\",\"n\":2,\"data\":\"after\\n\"}");
        JobView j = RunView.read(logs, true).getJobs().get(0);
        assertEquals(2, j.getShBlocks().size());
        assertEquals(List.of("stdout:before\n"), chunks(j.getShBlocks().get(0)));
        assertEquals("exit 0", j.getShBlocks().get(0).getResult());
        assertEquals(List.of("stdout:after\n"), chunks(j.getShBlocks().get(1)));
        assertTrue(j.getLogProblem().contains("log.jsonl:3"), j.getLogProblem());
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
    void hugeOutputKeepsHeadAndTailAndCountsTheCut() throws Exception {
        QuireRunFixtures.writeLargeOutputRun(logs, 1, 10);
        ShBlockView sh = RunView.read(logs, true).getJobs().get(0).getShBlocks().get(0);
        long shown = sh.getChunks().stream().mapToLong(c -> c.getText().length()).sum();
        long total = 10 * 60_001L + "END 1\n".length();
        assertEquals(ShBlockView.HEAD_CHARS + ShBlockView.TAIL_CHARS, shown);
        assertEquals(total - shown, sh.getOmittedChars());
        assertEquals(ShBlockView.HEAD_CHARS, sh.getHeadChunks().stream().mapToLong(c -> c.getText().length()).sum());
        List<OutputChunk> tail = sh.getTailChunks();
        assertTrue(tail.get(tail.size() - 1).getText().endsWith("END 1\n"));
        assertEquals("stdout", sh.getHeadChunks().get(0).getStream(), "the head starts with the first chunk");
        assertEquals("458.0 KiB", sh.getCutSize(), "468,944 characters cut, all ASCII");
    }

    /** Characters a view holds, counted through the page's getters. */
    private static long retained(RunView v) {
        long n = 0;
        for (JobView j : v.getJobs()) {
            n += j.getReason() == null ? 0 : j.getReason().length();
            n += j.getOutputsJson() == null ? 0 : j.getOutputsJson().length();
            for (ShBlockView sh : j.getShBlocks()) {
                n += sh.getCmd() == null ? 0 : sh.getCmd().length();
                for (OutputChunk c : sh.getChunks()) n += c.getText().length();
            }
        }
        return n;
    }

    @Test
    void aLargeJobLogIsReadWithinThePageBudgetAndSaysWhatWasCut() throws Exception {
        // 60 MB of job log: 100 sh blocks printing 600 KB each
        QuireRunFixtures.writeLargeOutputRun(logs, 100, 10);
        assertTrue(Files.size(logs.resolve("jobs/big/log.jsonl")) > 60_000_000L);
        RunView v = RunView.read(logs, false);
        long kept = retained(v);
        assertTrue(kept <= PageBudget.CHARS, "a page keeps at most " + PageBudget.CHARS + " characters, kept " + kept);
        assertEquals(kept, v.retainedChars());
        JobView big = v.getJobs().get(0);
        assertEquals(100, big.getShBlocks().size(), "every block is listed");
        ShBlockView first = big.getShBlocks().get(0);
        assertTrue(first.getOmittedChars() > 0);
        assertTrue(first.getTailChunks().get(first.getTailChunks().size() - 1).getText().endsWith("END 1\n"));
        ShBlockView last = big.getShBlocks().get(99);
        assertEquals("exit 0", last.getResult(), "events after the budget ran out are still applied");
        assertEquals(10 * 60_001L + "END 100\n".length(), last.getOmittedChars() + last.getChunks().stream()
                .mapToLong(c -> c.getText().length()).sum(), "what is not kept is counted as cut");
    }

    @Test
    void thePageBudgetAlsoBoundsTheNumberOfBlocksAndTheBytesRead() throws Exception {
        QuireRunFixtures.writeLargeOutputRun(logs, 30, 1);
        RunView v = RunView.read(logs, false, true, new PageBudget(200_000, 10, 1L << 30));
        assertTrue(retained(v) <= 200_000, "kept " + retained(v));
        JobView big = v.getJobs().get(0);
        assertEquals(10, big.getShBlocks().size());
        assertTrue(big.getLogProblem().contains("20 more sh blocks are not shown"), big.getLogProblem());
        RunView partial = RunView.read(logs, false, true, new PageBudget(200_000, 100, 1_000_000));
        assertTrue(partial.getJobs().get(0).getLogProblem().contains("read only the first"),
                partial.getJobs().get(0).getLogProblem());
    }

    @Test
    void anOverlongLineIsSkippedAndTheRestIsRead() throws Exception {
        QuireRunFixtures.write(logs.resolve("log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.100Z\",\"kind\":\"job-start\",\"job\":\"a\"}",
                "{\"ts\":\"2026-11-29T20:00:00.100Z\",\"kind\":\"job-start\",\"job\":\"" + "b".repeat(5 << 20) + "\"}",
                "{\"ts\":\"2026-11-29T20:00:01.000Z\",\"kind\":\"run-end\",\"status\":\"success\",\"duration_ms\":1000}");
        RunView v = RunView.read(logs, false);
        assertEquals(List.of("a"), ids(v));
        assertTrue(v.isEnded());
        assertTrue(v.getProblems().get(0).contains("log.jsonl:2: the line is longer than"), v.getProblems().get(0));
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
