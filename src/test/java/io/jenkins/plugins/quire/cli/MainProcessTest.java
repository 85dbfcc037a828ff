package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs quire-ci as a real process ({@code java -cp <test classpath> ...cli.Main}), so {@code main}'s exit code and
 * the streams are what a shell sees. Always runs: it uses the test JVM's own classpath, not the shaded jar (which
 * does not exist yet when surefire runs).
 */
class MainProcessTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    private Result quire(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.jenkins.plugins.quire.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "quire-ci did not exit");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    @Timeout(120)
    void validateAsAProcessPrintsTheJobsAndExits0() throws Exception {
        Files.createDirectories(dir.resolve(".quire"));
        Files.writeString(dir.resolve(".quire/ci.fnl"),
                "(local ci (require :quire.ci))\n(ci.job :build [:quire/push] (fn [{: sh}] (sh \"make\") {}))\n");
        Result r = quire("validate");
        assertEquals("", r.err());
        assertEquals(0, r.exit());
        assertEquals("Jobs (topological order):\n  quire/push <- []\n  build <- [quire/push]\n\nAll validations passed.\n",
                r.out());
    }

    @Test
    @Timeout(120)
    void invalidPipelineAsAProcessExits2WithDiagnosticsOnStderr() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.fnl"), "(local ci (require :quire.ci))\n(ci.job :setup [] (fn [] nil))\n");
        Result r = quire("validate", "--file", file.toString());
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith(file + " has errors\n  " + file + ":2: Job 'setup' has empty inputs."), r.err());
    }

    @Test
    @Timeout(120)
    void unknownCommandAsAProcessExits2() throws Exception {
        Result r = quire("deploy");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("quire-ci: unknown command 'deploy'"), r.err());
    }
}
