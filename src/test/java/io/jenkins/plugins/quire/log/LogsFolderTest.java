package io.jenkins.plugins.quire.log;

import static io.jenkins.plugins.quire.log.LogFixtures.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logs folder may lie in the workspace, which the run's container can write: links planted there (before the
 * run or during it) must never make the host write or delete a file outside the logs folder.
 */
class LogsFolderTest {
    @TempDir Path tmp;
    Path ws;
    Path outside;
    Path logs;

    @BeforeEach
    void setUp() throws IOException {
        ws = Files.createDirectories(tmp.resolve("ws"));
        outside = Files.createDirectories(tmp.resolve("host-dir"));
        Files.writeString(outside.resolve("log.jsonl"), "sentinel");
        logs = ws.resolve("quire");
    }

    private void assertOutsideUntouched() throws IOException {
        assertEquals("sentinel", Files.readString(outside.resolve("log.jsonl")));
        try (var files = Files.list(outside)) {
            assertEquals(List.of(outside.resolve("log.jsonl")), files.toList());
        }
    }

    private static void runJobB(RunLog log) {
        log.jobStart("b");
        log.job("b").shStart(1, "echo hi");
        log.job("b").shExit(1, 0, 1, null);
        log.jobEnd("b", JobState.SUCCEEDED, 1, null, null);
    }

    @Test
    void aJobFolderLinkLeftByAPreviousRunIsRemovedNotFollowed() throws Exception {
        Files.createDirectories(logs.resolve("jobs"));
        Files.createSymbolicLink(logs.resolve("jobs/b"), outside);
        Files.createSymbolicLink(logs.resolve("log.jsonl"), outside.resolve("log.jsonl"));
        try (RunLog log = RunLog.open(logs, ws, List.of("b"), new Redactor(), CLOCK)) {
            runJobB(log);
        }
        assertOutsideUntouched();
        assertFalse(Files.isSymbolicLink(logs.resolve("jobs/b")));
        assertTrue(Files.isRegularFile(logs.resolve("jobs/b/log.jsonl"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isRegularFile(logs.resolve("log.jsonl"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(2, JsonlReader.readAll(logs.resolve("log.jsonl")).size());
    }

    @Test
    void theLogsFolderItselfAsALinkIsReplacedByAFreshFolder() throws Exception {
        Files.createSymbolicLink(logs, outside);
        try (RunLog log = RunLog.open(logs, ws, List.of("b"), new Redactor(), CLOCK)) {
            runJobB(log);
        }
        assertOutsideUntouched();
        assertTrue(Files.isDirectory(logs, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isRegularFile(logs.resolve("jobs/b/log.jsonl"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aJobFolderReplacedByALinkDuringTheRunIsNotFollowed() throws Exception {
        try (RunLog log = RunLog.open(logs, ws, List.of("a", "b"), new Redactor(), CLOCK)) {
            log.jobStart("a");
            // what `rm -rf /work/quire/jobs/b; ln -sfn /host/dir /work/quire/jobs/b` in job a does
            Files.delete(logs.resolve("jobs/b"));
            Files.createSymbolicLink(logs.resolve("jobs/b"), outside);
            log.jobEnd("a", JobState.SUCCEEDED, 1, null, null);
            log.jobStart("b");
            LogWriteException e = assertThrows(LogWriteException.class, () -> log.job("b").shStart(1, "echo hi"));
            assertTrue(e.getMessage().contains(logs.resolve("jobs/b/log.jsonl").toString()), e.getMessage());
            assertTrue(e.getMessage().contains("link"), e.getMessage());
            log.jobEnd("b", JobState.FAILED, 1, e.getMessage(), null);
        }
        assertOutsideUntouched();
    }

    @Test
    void aLogFilePlantedInAJobFolderDuringTheRunIsReplacedNotFollowed() throws Exception {
        try (RunLog log = RunLog.open(logs, ws, List.of("b"), new Redactor(), CLOCK)) {
            Files.createSymbolicLink(logs.resolve("jobs/b/log.jsonl"), outside.resolve("log.jsonl"));
            runJobB(log);
        }
        assertOutsideUntouched();
        assertTrue(Files.isRegularFile(logs.resolve("jobs/b/log.jsonl"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(2, JsonlReader.readAll(logs.resolve("jobs/b/log.jsonl")).size());
    }

    @Test
    void aWholeLogsFolderSwappedForALinkDuringTheRunIsNotFollowed() throws Exception {
        try (RunLog log = RunLog.open(logs, ws, List.of("b"), new Redactor(), CLOCK)) {
            Files.move(logs, ws.resolve("moved"));
            Files.createSymbolicLink(logs, outside);
            Files.createDirectories(outside.resolve("jobs/b"));
            try {
                runJobB(log);
            } catch (LogWriteException expected) {
                // the folder the runner created is where it writes, or the write fails; never the link's target
            }
        }
        assertEquals("sentinel", Files.readString(outside.resolve("log.jsonl")));
        assertFalse(Files.exists(outside.resolve("jobs/b/log.jsonl")));
    }

    @Test
    void aLinkInTheWorkspaceOnTheWayToTheLogsFolderMustStayInsideIt() throws Exception {
        Files.createSymbolicLink(ws.resolve("out"), outside);
        IOException e = assertThrows(IOException.class,
                () -> RunLog.open(ws.resolve("out/logs"), ws, List.of("b"), new Redactor(), CLOCK));
        assertTrue(e.getMessage().contains(ws.resolve("out").toString()), e.getMessage());
        assertFalse(Files.exists(outside.resolve("logs")));
        // a link that stays inside the workspace (a checked-in `.quire -> ci/quire`) is fine
        Files.createDirectories(ws.resolve("ci/quire"));
        Files.createSymbolicLink(ws.resolve(".quire"), Path.of("ci/quire"));
        try (RunLog log = RunLog.open(ws.resolve(".quire/logs/r1"), ws, List.of("b"), new Redactor(), CLOCK)) {
            runJobB(log);
        }
        assertTrue(Files.isRegularFile(ws.resolve("ci/quire/logs/r1/jobs/b/log.jsonl")));
    }

    @Test
    void aLogsFolderNamedThroughALinkToTheWorkspaceIsStillTreatedAsInsideIt() throws Exception {
        // `--workspace $WORKSPACE --logs quire` where $WORKSPACE has a link on its way (cwd is the real path), or the
        // other way round: the planted link `quire -> /host/dir` must be removed, not followed
        Path wsLink = Files.createSymbolicLink(tmp.resolve("ws-link"), ws);
        Files.createSymbolicLink(logs, outside);
        try (RunLog log = RunLog.open(logs, wsLink, List.of("b"), new Redactor(), CLOCK)) {
            runJobB(log);
        }
        assertOutsideUntouched();
        assertTrue(Files.isDirectory(logs, LinkOption.NOFOLLOW_LINKS));
        Files.delete(logs.resolve("jobs/b/log.jsonl"));
        Files.delete(logs.resolve("jobs/b"));
        Files.delete(logs.resolve("jobs"));
        Files.delete(logs.resolve("log.jsonl"));
        Files.delete(logs);
        Files.createSymbolicLink(logs, outside);
        try (RunLog log = RunLog.open(wsLink.resolve("quire"), ws, List.of("b"), new Redactor(), CLOCK)) {
            runJobB(log);
        }
        assertOutsideUntouched();
        assertTrue(Files.isDirectory(logs, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void theWorkspaceNamedThroughALinkCannotBeTheLogsFolderEither() throws Exception {
        Path wsLink = Files.createSymbolicLink(tmp.resolve("ws-link"), ws);
        IOException e = assertThrows(IOException.class,
                () -> RunLog.open(wsLink, ws, List.of("b"), new Redactor(), CLOCK));
        assertTrue(e.getMessage().contains("workspace"), e.getMessage());
    }

    @Test
    void theWorkspaceItselfCannotBeTheLogsFolder() {
        IOException e = assertThrows(IOException.class,
                () -> RunLog.open(ws, ws, List.of("b"), new Redactor(), CLOCK));
        assertTrue(e.getMessage().contains("workspace"), e.getMessage());
    }

    @Test
    void aReusedLogsFolderStartsFreshAndKeepsOtherFiles() throws Exception {
        try (RunLog log = RunLog.open(logs, ws, List.of("b", "old"), new Redactor(), CLOCK)) {
            runJobB(log);
            log.jobStart("old");
            log.job("old").shStart(1, "x");
        }
        Files.writeString(logs.resolve("notes.txt"), "keep me");
        try (RunLog log = RunLog.open(logs, ws, List.of("b"), new Redactor(), CLOCK)) {
            runJobB(log);
        }
        assertFalse(Files.exists(logs.resolve("jobs/old")));
        assertEquals(2, JsonlReader.readAll(logs.resolve("jobs/b/log.jsonl")).size());
        assertEquals(2, JsonlReader.readAll(logs.resolve("log.jsonl")).size());
        assertEquals("keep me", Files.readString(logs.resolve("notes.txt")));
    }

    @Test
    void skippedJobsLeaveNoEmptyFolder() throws Exception {
        try (RunLog log = RunLog.open(logs, ws, List.of("b", "skipped"), new Redactor(), CLOCK)) {
            runJobB(log);
            log.jobEnd("skipped", JobState.SKIPPED, 0, "upstream 'b' failed", null);
        }
        assertFalse(Files.exists(logs.resolve("jobs/skipped")));
    }

    @Test
    void anInterruptedThreadStillWritesItsLineAndKeepsTheInterrupt() throws Exception {
        // an abort interrupts the job's thread, which then writes sh-exit: the file must not be closed by it
        try (RunLog log = RunLog.open(logs, ws, List.of("b"), new Redactor(), CLOCK)) {
            log.jobStart("b");
            log.job("b").shStart(1, "sleep 100");
            Thread.currentThread().interrupt();
            log.job("b").shExit(1, null, 5, "SIGKILL");
            assertTrue(Thread.interrupted());
            log.jobEnd("b", JobState.FAILED, 5, "aborted", null);
        }
        assertEquals(2, JsonlReader.readAll(logs.resolve("jobs/b/log.jsonl")).size());
        assertEquals(2, JsonlReader.readAll(logs.resolve("log.jsonl")).size());
    }

    @Test
    void reopeningAfterAnInterruptedWriteNeverOpensAFifoPlantedInItsPlace() throws Exception {
        try (LogsFolder folder = LogsFolder.prepare(logs, ws, List.of("b"))) {
            folder.openJobFile("b", true).close();
            Path file = logs.resolve("jobs/b/log.jsonl");
            Files.delete(file);
            Process mkfifo = new ProcessBuilder("mkfifo", file.toString()).start();
            assertEquals(0, mkfifo.waitFor(), "mkfifo");
            // opening a FIFO for writing blocks until a reader comes: the guard only stops a hang, the checks follow
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> folder.openJobFile("b", false).close());
            assertTrue(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS), "a fresh regular file took its place");
        }
    }
}
