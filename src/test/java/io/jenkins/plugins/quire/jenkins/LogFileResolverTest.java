package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw-log requests read only regular files inside the build's quire/ folder (no Hudson). */
class LogFileResolverTest {
    @TempDir
    Path root;
    Path artifacts;
    Path logs;

    @BeforeEach
    void setUp() throws Exception {
        artifacts = Files.createDirectories(root.resolve("build/archive"));
        logs = Files.createDirectories(artifacts.resolve("quire"));
        QuireRunFixtures.writeFinishedRun(logs);
        Files.writeString(artifacts.resolve("secret.txt"), "outside quire/");
        Files.writeString(root.resolve("build/build.xml"), "<build/>");
    }

    @Test
    void servesTheRunLogAndJobLogs() throws Exception {
        assertEquals(logs.resolve("log.jsonl").toRealPath(), LogFileResolver.resolve(artifacts, "log.jsonl"));
        assertEquals(logs.resolve("jobs/test/log.jsonl").toRealPath(),
                LogFileResolver.resolve(artifacts, "jobs/test/log.jsonl"));
    }

    @Test
    void refusesDotDotInAnyPosition() {
        assertNull(LogFileResolver.resolve(artifacts, "../secret.txt"));
        assertNull(LogFileResolver.resolve(artifacts, "../../build.xml"));
        assertNull(LogFileResolver.resolve(artifacts, "jobs/../../secret.txt"));
        assertNull(LogFileResolver.resolve(artifacts, "jobs/test/../../log.jsonl"), "even when it stays inside");
        assertNull(LogFileResolver.resolve(artifacts, "./log.jsonl"));
    }

    @Test
    void percentEncodedDotsAreJustNamesThatDoNotExist() {
        assertNull(LogFileResolver.resolve(artifacts, "%2e%2e/secret.txt"));
        assertNull(LogFileResolver.resolve(artifacts, "..%2fsecret.txt"));
    }

    @Test
    void refusesAbsoluteBackslashEmptyAndNulPaths() {
        assertNull(LogFileResolver.resolve(artifacts, artifacts.resolve("secret.txt").toString()));
        assertNull(LogFileResolver.resolve(artifacts, "/etc/passwd"));
        assertNull(LogFileResolver.resolve(artifacts, "..\\secret.txt"));
        assertNull(LogFileResolver.resolve(artifacts, "jobs\\test\\log.jsonl"));
        assertNull(LogFileResolver.resolve(artifacts, ""));
        assertNull(LogFileResolver.resolve(artifacts, null));
        assertNull(LogFileResolver.resolve(artifacts, "log.jsonl\0"));
        assertNull(LogFileResolver.resolve(artifacts, "jobs//test/log.jsonl"));
        assertNull(LogFileResolver.resolve(artifacts, "C:/x"));
    }

    @Test
    void refusesDirectoriesAndMissingFiles() {
        assertNull(LogFileResolver.resolve(artifacts, "jobs"));
        assertNull(LogFileResolver.resolve(artifacts, "jobs/nope/log.jsonl"));
    }

    @Test
    void refusesSymlinkInsideQuirePointingOutside() throws Exception {
        Files.createSymbolicLink(logs.resolve("escape.jsonl"), artifacts.resolve("secret.txt"));
        Files.createSymbolicLink(logs.resolve("jobs/evil"), root.resolve("build"));
        assertNull(LogFileResolver.resolve(artifacts, "escape.jsonl"));
        assertNull(LogFileResolver.resolve(artifacts, "jobs/evil/build.xml"));
    }

    @Test
    void refusesAQuireFolderThatIsItselfASymlinkOutOfTheArtifacts() throws Exception {
        Path other = Files.createDirectories(root.resolve("elsewhere"));
        Files.writeString(other.resolve("log.jsonl"), "{}\n");
        Path artifacts2 = Files.createDirectories(root.resolve("build2/archive"));
        Files.createSymbolicLink(artifacts2.resolve("quire"), other);
        assertNull(LogFileResolver.resolve(artifacts2, "log.jsonl"));
    }

    @Test
    void noQuireFolderMeansNothingIsServed() throws Exception {
        Path bare = Files.createDirectories(root.resolve("build3/archive"));
        assertNull(LogFileResolver.resolve(bare, "log.jsonl"));
    }
}
