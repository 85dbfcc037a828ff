package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logs a Jenkinsfile run wrote in the workspace are archived as they are, links included (a job could plant them):
 * the page reads only regular files inside the logs folder, never what a link points to.
 */
class RunViewLinksTest {
    @TempDir Path tmp;

    @Test
    void aRunLogThatIsALinkIsNotRead() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        QuireRunFixtures.writeFinishedRun(elsewhere);
        Path logs = Files.createDirectories(tmp.resolve("quire"));
        Files.createSymbolicLink(logs.resolve("log.jsonl"), elsewhere.resolve("log.jsonl"));
        assertFalse(RunView.read(logs, false).isPresent());
    }

    @Test
    void aJobLogThatIsALinkOrUnderALinkedFolderIsNotRead() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("quire"));
        QuireRunFixtures.writeFinishedRun(logs);
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.move(logs.resolve("jobs/build/log.jsonl"), elsewhere.resolve("log.jsonl"));
        Files.createSymbolicLink(logs.resolve("jobs/build/log.jsonl"), elsewhere.resolve("log.jsonl"));
        Path testDir = logs.resolve("jobs/test");
        Files.move(testDir, tmp.resolve("test-dir"));
        Files.createSymbolicLink(testDir, tmp.resolve("test-dir"));
        RunView v = RunView.read(logs, false);
        for (JobView j : v.getJobs()) {
            assertEquals(0, j.getShBlocks().size(), j.getId());
        }
        assertTrue(v.isPresent());
    }
}
