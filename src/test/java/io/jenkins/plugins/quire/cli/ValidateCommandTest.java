package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quire-ci validate}, in-process: quire-ci's exact output on success, diagnostics on stderr and exit 2. */
class ValidateCommandTest {
    static final Path PROJECT = Path.of(System.getProperty("quire.project.dir", "."));
    static final Path PIPELINES = PROJECT.resolve("src/test/resources/pipelines");

    @TempDir
    Path dir;

    @Test
    void validPipelinePrintsImageJobsInRunOrderAndVerdict() {
        CliRun r = CliRun.of("validate", "--file", PIPELINES.resolve("valid.fnl").toString());
        assertEquals("", r.err());
        assertEquals(0, r.exit());
        assertEquals("Image: alpine:3.20\n"
                + "Jobs (topological order):\n"
                + "  quire/push <- []\n"
                + "  build <- [quire/push]\n"
                + "  test <- [build, quire/push]\n"
                + "  docs <- [quire/push]\n"
                + "\n"
                + "All validations passed.\n", r.out());
    }

    @Test
    void emptyPipelineWithoutImageListsOnlyQuirePush() throws Exception {
        Path file = Files.writeString(dir.resolve("ci.fnl"), ";; nothing yet\n");
        CliRun r = CliRun.of("validate", "--file=" + file);
        assertEquals(0, r.exit(), r.err());
        assertEquals("Jobs (topological order):\n  quire/push <- []\n\nAll validations passed.\n", r.out());
    }

    @Test
    void invalidPipelinePrintsEveryDiagnosticOnStderrAndExits2() {
        Path file = PIPELINES.resolve("invalid.fnl");
        CliRun r = CliRun.of("validate", "--file", file.toString());
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertEquals(file + " has errors\n"
                + "  " + file + ":4: Job 'x' lists unknown input 'typo'.\n"
                + "     4 | (ci.job :x [:quire/push :typo] (fn [] nil))\n"
                + "  " + file + ":2: Cycle detected among jobs: a, b\n"
                + "     2 | (ci.job :a [:b] (fn [] nil))\n"
                + "     3 | (ci.job :b [:a] (fn [] nil))\n", r.err());
    }

    @Test
    void defaultFileIsDotQuireCiFnlRelativeToTheWorkingDirectory() {
        // the test JVM runs in the project folder, which has no .quire/ci.fnl
        CliRun r = CliRun.of("validate");
        assertEquals(2, r.exit());
        assertEquals(".quire/ci.fnl has errors\n  .quire/ci.fnl: cannot read .quire/ci.fnl: no such file\n", r.err());
    }

    @Test
    void topLevelShIsReportedAtItsLine() throws Exception {
        Path file = Files.writeString(dir.resolve("ci.fnl"), "(local ci (require :quire.ci))\n(sh \"make\")\n");
        CliRun r = CliRun.of("validate", "--file", file.toString());
        assertEquals(2, r.exit());
        assertEquals(file + " has errors\n  " + file + ":2: sh can only be called inside a job's run function\n"
                + "     2 | (sh \"make\")\n", r.err());
    }

    @Test
    void theShippedExampleValidates() {
        CliRun r = CliRun.of("validate", "--file", PROJECT.resolve("examples/ci.fnl").toString());
        assertEquals("", r.err());
        assertEquals(0, r.exit());
        assertEquals("Image: quire-test:debian\n"
                + "Jobs (topological order):\n"
                + "  quire/push <- []\n"
                + "  describe <- [quire/push]\n"
                + "  lint <- [quire/push]\n"
                + "  build <- [describe]\n"
                + "  test <- [build]\n"
                + "  publish <- [test, lint]\n"
                + "\n"
                + "All validations passed.\n", r.out());
    }

    @Test
    void validateRejectsStrayArguments() {
        CliRun r = CliRun.of("validate", "ci.fnl");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("quire-ci: unexpected argument 'ci.fnl' for 'validate'\n"), r.err());
    }
}
