package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged, shaded target/quire-ci.jar runs on its own: `java -jar` validates the example pipeline. */
class ShadedJarIT {
    @Test
    void shadedJarValidatesTheExample() throws Exception {
        Path jar = Path.of(System.getProperty("quire.jar"));
        assertTrue(Files.isRegularFile(jar), "mvn package builds " + jar);
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
