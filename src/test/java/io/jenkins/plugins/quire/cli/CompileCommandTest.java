package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quire-ci compile}: prints the generated Lua, or Fennel's located error on stderr with exit 2. */
class CompileCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheGeneratedLua() throws Exception {
        Path file = Files.writeString(dir.resolve("ci.fnl"), "(local ci (require :quire.ci))\n(ci.image \"alpine\")\n");
        CliRun r = CliRun.of("compile", "--file", file.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("require(\"quire.ci\")"), r.out());
        assertTrue(r.out().contains("ci.image(\"alpine\")"), r.out());
    }

    @Test
    void parseErrorIsLocatedWithFileLineColumnAndTheSourceLine() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.fnl"), "(local ci (require :quire.ci))\n(ci.job :a [:b} (fn [] nil))\n");
        CliRun r = CliRun.of("compile", "--file", file.toString());
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertEquals(file + " has errors\n"
                + "  " + file + ":2:14: Parse error: mismatched closing delimiter }, expected ]\n"
                + "     2 | (ci.job :a [:b} (fn [] nil))\n"
                + "       |               ^\n"
                + "    * Try replacing } with ].\n"
                + "    * Try deleting }.\n"
                + "    * Try adding matching opening delimiter earlier.\n", r.err());
    }

    @Test
    void missingFileIsNamed() {
        String missing = dir.resolve("nope.fnl").toString();
        CliRun r = CliRun.of("compile", "--file", missing);
        assertEquals(2, r.exit());
        assertEquals(missing + " has errors\n  " + missing + ": cannot read " + missing + ": no such file\n", r.err());
    }
}
