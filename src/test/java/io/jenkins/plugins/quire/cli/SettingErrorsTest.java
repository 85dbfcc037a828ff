package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A setting the runner cannot use (a DOCKER_HOST that is no Docker address, a path the locale cannot
 * encode) is named in one line on stderr with exit 2, never as a Java exception.
 */
class SettingErrorsTest {
    @TempDir
    Path dir;

    @Test
    void garbageDockerHostIsNamedAndExits2() throws Exception {
        Files.createDirectories(dir.resolve(".quire"));
        Files.writeString(dir.resolve(".quire/ci.fnl"), "(local ci (require :quire.ci))\n(ci.image \"quire-test:busybox\")\n(ci.job :a [:quire/push] (fn [] nil))\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = new RunCommand(Map.of("DOCKER_HOST", "garbage://x")).run(List.of("--workspace", dir.toString()), o, e);
        }
        assertEquals("quire-ci: DOCKER_HOST 'garbage://x' is not a supported Docker address (unix:// or tcp://)\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals(2, code);
    }

    @Test
    void aLogsFolderThatIsAFileIsNamedWithoutAJavaClassName() throws Exception {
        Path ws = dir.resolve("ws");
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), "(local ci (require :quire.ci))\n(ci.job :a [:quire/push] (fn [] nil))\n");
        for (Path notAFolder : List.of(Files.writeString(dir.resolve("logs-file"), "x"), ws.resolve("inside-file"))) {
            Files.writeString(notAFolder, "x");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code;
            try (PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                code = new RunCommand(Map.of()).run(List.of("--workspace", ws.toString(), "--logs", notAFolder.toString(),
                        "--image", "quire-test:busybox"), o, e);
            }
            String msg = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, code, msg);
            assertTrue(msg.startsWith("quire-ci: cannot write the logs folder " + notAFolder + ": " + notAFolder + " "), msg);
            assertFalse(msg.contains("java.") || msg.contains("Exception"), msg);
            assertEquals("x", Files.readString(notAFolder), "the file in the way is left as it was");
        }
    }

    @Test
    @Timeout(120)
    void nonAsciiPathUnderAnAsciiLocaleNamesThePathAndTheSetting() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("d\u00e9p\u00f4t"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.jenkins.plugins.quire.cli.Main", "validate", "--file", ws.resolve("ci.fnl").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.equals("LANGUAGE"));
        pb.environment().put("LANG", "C");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "quire-ci did not exit");
        String e = Files.readString(err, StandardCharsets.ISO_8859_1);
        assertEquals(2, p.exitValue(), e);
        assertTrue(e.startsWith("quire-ci: the path '"), e);
        assertTrue(e.contains("ANSI_X3.4-1968") && e.contains("UTF-8 locale"), e);
        assertFalse(e.contains("Exception"), e);
    }
}
