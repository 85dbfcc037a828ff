package io.jenkins.plugins.quire.log;

import static io.jenkins.plugins.quire.log.LogFixtures.CLOCK;
import static io.jenkins.plugins.quire.log.LogFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logs of a run written on an agent through one stream land on the controller exactly as if written there. */
class StreamedLogsTest {
    @TempDir
    Path tmp;

    /** Writes the same events of a run with two jobs and a secret into {@code log}. */
    private static void someRun(RunLog log) throws IOException {
        log.declareJobs(List.of("build", "test"));
        log.containerStart("img", "abc123");
        log.jobStart("build");
        JobLog job = log.job("build");
        job.shStart(1, "echo hunter2-token");
        for (int i = 0; i < 200; i++) job.stdout(1, utf8("line " + i + " hunter2-token\n"), 0, ("line " + i + " hunter2-token\n").length());
        job.shExit(1, 0, 42, null);
        log.jobEnd("build", JobState.SUCCEEDED, 50, null, null);
        log.jobEnd("test", JobState.SKIPPED, 0, "skipped", null);
        log.runEnd(RunStatus.SUCCESS, 60);
    }

    private static Redactor redactor() {
        Redactor r = new Redactor();
        r.add("tok", "hunter2-token");
        return r;
    }

    /** Hands bytes on in pieces of random sizes, as a remoting stream may. */
    private static OutputStream chopping(OutputStream to, long seed, ByteArrayOutputStream copy) {
        Random rnd = new Random(seed);
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                copy.write(b, off, len);
                while (len > 0) {
                    int n = Math.min(len, 1 + rnd.nextInt(300));
                    to.write(b, off, n);
                    off += n;
                    len -= n;
                }
            }
        };
    }

    @Test
    void streamedLogsEqualLocallyWrittenOnesByteForByteAndTheSenderWritesNoFile() throws Exception {
        Path local = tmp.resolve("local");
        try (RunLog log = RunLog.open(local, null, List.of(), redactor(), CLOCK)) {
            someRun(log);
        }
        Path remote = tmp.resolve("remote");
        LogStreamReceiver receiver = LogStreamReceiver.open(remote);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        Path nowhere = tmp.resolve("never-created");
        try (RunLog log = RunLog.open(new StreamedLogStore(chopping(receiver, 7, sent), nowhere), redactor(), CLOCK,
                LogWriter.DEFAULT_MAX_QUEUED_BYTES)) {
            someRun(log);
        }
        assertTrue(receiver.ended(), "the end frame arrived");
        receiver.finish(RunStatus.FAILURE, "not used: the run ended");
        for (String f : List.of("log.jsonl", "jobs/build/log.jsonl")) {
            assertArrayEquals(Files.readAllBytes(local.resolve(f)), Files.readAllBytes(remote.resolve(f)), f);
        }
        assertFalse(Files.exists(remote.resolve("jobs/test")), "a job that wrote nothing has no folder");
        assertFalse(Files.exists(nowhere), "the sending side writes nothing to disk");
        assertFalse(sent.toString("ISO-8859-1").contains("hunter2-token"), "redacted before it left");
    }

    @Test
    void aStreamCutMidFrameKeepsWholeLinesAndGetsARunEndWithTheReason() throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (RunLog log = RunLog.open(new StreamedLogStore(all, tmp.resolve("x")), redactor(), CLOCK,
                LogWriter.DEFAULT_MAX_QUEUED_BYTES)) {
            log.declareJobs(List.of("build"));
            log.jobStart("build");
            JobLog job = log.job("build");
            job.shStart(1, "make");
            job.stdout(1, utf8("partial output\n"), 0, 15);
            job.shExit(1, 0, 1, null);
        }
        byte[] bytes = all.toByteArray();
        int cut = bytes.length - 40; // inside the last frames (no run-end was ever sent)
        Path dir = tmp.resolve("cut");
        LogStreamReceiver receiver = LogStreamReceiver.open(dir);
        receiver.write(bytes, 0, cut);
        assertFalse(receiver.ended());
        receiver.finish(RunStatus.FAILURE, "the connection to agent a1 was lost");
        List<LogEvent> run = JsonlReader.readAll(dir.resolve("log.jsonl"));
        LogEvent.RunEnd end = assertInstanceOf(LogEvent.RunEnd.class, run.get(run.size() - 1));
        assertEquals(RunStatus.FAILURE, end.status());
        assertEquals("the connection to agent a1 was lost", end.reason());
        assertEquals("job-start", run.get(0).kind());
        List<LogEvent> job = JsonlReader.readAll(dir.resolve("jobs/build/log.jsonl"));
        assertEquals("sh-start", job.get(0).kind(), "every line that arrived whole is readable");
    }
}
