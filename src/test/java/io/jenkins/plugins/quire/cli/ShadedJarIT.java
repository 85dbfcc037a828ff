package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged, shaded target/quire-ci.jar runs on its own: `java -jar` validates the example pipeline, and the parts
 * of the engine that reach into LuaJ's package-private members (relocated together with LuaJ) still work.
 */
class ShadedJarIT {
    @TempDir
    Path dir;

    @Test
    void shadedJarValidatesTheExample() throws Exception {
        Path example = Path.of(System.getProperty("quire.project.dir", "."), "examples", "ci.fnl");
        Result r = run("validate", "--file", example.toString());
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.endsWith("\nAll validations passed.\n"), r.output);
        assertTrue(r.output.contains("  publish <- [test, lint]\n"), r.output);
    }

    @Test
    void relocatedLuajAccessClassesWork() throws Exception {
        // string.find runs through the counting matcher (LuajPatternAccess); the nil index is named through
        // LuaJ's variable-name analysis (LuajDebugAccess)
        Path file = Files.writeString(dir.resolve("ci.fnl"), "(local ci (require :quire.ci))\n"
                + "(local found (string.find \"xaab\" \"a+b\"))\n"
                + "(local t (if (= found 2) nil {}))\n"
                + "(local y (. t :x))\n");
        Result r = run("validate", "--file", file.toString());
        assertEquals(2, r.exit, r.output);
        assertTrue(r.output.contains("ci.fnl:4"), r.output);
        assertTrue(r.output.contains("attempt to index a nil value (local 't')"), r.output);
        assertFalse(r.output.contains("Exception"), r.output);
    }

    private record Result(int exit, String output) {}

    private static Result run(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("quire.jar"));
        assertTrue(Files.isRegularFile(jar), "mvn package builds " + jar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), output);
    }
}
