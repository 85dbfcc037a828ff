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

    /** True if every compiled class of the cli and pipeline packages is in the jar with the same bytes. */
    private static boolean jarMatchesCompiledClasses(Path jar) throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
            for (String pkg : List.of("io/jenkins/plugins/quire/cli", "io/jenkins/plugins/quire/pipeline")) {
                try (var files = Files.list(classes.resolve(pkg))) {
                    for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".class"))::iterator) {
                        var entry = zip.getEntry(pkg + "/" + f.getFileName());
                        if (entry == null) return false;
                        try (var in = zip.getInputStream(entry)) {
                            if (!java.util.Arrays.equals(in.readAllBytes(), Files.readAllBytes(f))) return false;
                        }
                    }
                }
            }
        }
        return true;
    }

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

    @Test
    @Timeout(120)
    void shadedJarValidatesTheExampleWhenItHasBeenBuilt() throws Exception {
        Path jar = Path.of(System.getProperty("quire.target.dir", "target"), "quire-ci.jar");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(jar),
                "target/quire-ci.jar is built after the tests (mvn package); the classpath tests above cover Main");
        org.junit.jupiter.api.Assumptions.assumeTrue(jarMatchesCompiledClasses(jar),
                "target/quire-ci.jar is stale: its cli/pipeline classes differ from the compiled ones (mvn package"
                        + " rebuilds it after the tests)");
        Path example = Path.of(System.getProperty("quire.project.dir", "."), "examples", "ci.fnl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-jar", jar.toString(), "validate", "--file", example.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.endsWith("\nAll validations passed.\n"), output);
        assertTrue(output.contains("  publish <- [test, lint]\n"), output);
    }

}
