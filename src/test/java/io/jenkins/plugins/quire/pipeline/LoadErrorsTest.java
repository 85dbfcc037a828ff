package io.jenkins.plugins.quire.pipeline;

import static io.jenkins.plugins.quire.pipeline.PipelineLoaderTest.HEAD;
import static io.jenkins.plugins.quire.pipeline.PipelineLoaderTest.invalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors that stop a load before the rules run: Fennel syntax and compile errors, Lua errors at ci.fnl's top level
 * (including misuse of ci.job/ci.image and of sh/secret/jobs), and unreadable files. Each is located in ci.fnl.
 */
class LoadErrorsTest {
    @TempDir
    Path dir;

    @Test
    void tooManyTopLevelLocalsIsLuasMessageAtTheCiFnlLine() {
        StringBuilder src = new StringBuilder(HEAD);
        for (int i = 1; i <= 205; i++) src.append("(local a").append(i).append(" (tostring ").append(i).append("))\n");
        PipelineException e = invalid(src.toString());
        assertTrue(e.getMessage().contains("ci.fnl:201: too many local variables (limit is 200) in main function near '='"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("Exception"), e.getMessage());
    }

    @Test
    void parseErrorHasLineColumnAndTheQuotedSourceLine() {
        PipelineException e = invalid("{:bad {:}\n");
        assertEquals(1, e.diagnostics().size());
        Diagnostic d = e.diagnostics().get(0);
        assertEquals(1, d.line());
        assertTrue(d.column() >= 0, "column: " + d.column());
        assertTrue(d.message().startsWith("Parse error: "), d.message());
        assertTrue(e.getMessage().startsWith("ci.fnl has errors\n  ci.fnl:1:" + d.column() + ": Parse error: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("\n     1 | {:bad {:}\n"), e.getMessage());
    }

    @Test
    void mismatchedDelimiterPointsAtTheColumn() {
        PipelineException e = invalid(HEAD + "(ci.job :a [:b} (fn [] nil))\n");
        String hints = "* Try replacing } with ].\n* Try deleting }.\n* Try adding matching opening delimiter earlier.";
        assertEquals(List.of(new Diagnostic(2, 14, "Parse error: mismatched closing delimiter }, expected ]\n" + hints)),
                e.diagnostics());
        assertEquals("ci.fnl has errors\n"
                + "  ci.fnl:2:14: Parse error: mismatched closing delimiter }, expected ]\n"
                + "     2 | (ci.job :a [:b} (fn [] nil))\n"
                + "       |               ^\n"
                + "    * Try replacing } with ].\n"
                + "    * Try deleting }.\n"
                + "    * Try adding matching opening delimiter earlier.", e.getMessage());
    }

    @Test
    void unknownIdentifierIsACompileErrorWithFileLineColumnAndSourceLine() {
        PipelineException e = invalid(HEAD + "\n(os.execute \"id\")\n");
        Diagnostic d = e.diagnostics().get(0);
        assertEquals(1, e.diagnostics().size());
        assertEquals(3, d.line());
        assertEquals(1, d.column());
        assertTrue(d.message().startsWith("Compile error: unknown identifier: os"), d.message());
        assertTrue(e.getMessage().startsWith("ci.fnl has errors\n"
                + "  ci.fnl:3:1: Compile error: unknown identifier: os\n"
                + "     3 | (os.execute \"id\")\n"
                + "       |  ^"), e.getMessage());
    }

    @Test
    void topLevelRuntimeErrorIsLocatedWithTheVariableName() {
        PipelineException e = invalid(HEAD
                + "(local push (. {} :missing))\n"
                + "(local sha push.sha)\n");
        assertEquals(List.of(new Diagnostic(3, "attempt to index a nil value (local 'push')")), e.diagnostics());
        assertEquals("ci.fnl has errors\n"
                + "  ci.fnl:3: attempt to index a nil value (local 'push')\n"
                + "     3 | (local sha push.sha)", e.getMessage());
    }

    @Test
    void runtimeErrorIsReportedWithTheDefinitionErrorsBeforeIt() {
        PipelineException e = invalid(HEAD
                + "(ci.job :setup [] (fn [] nil))\n"
                + "(error \"stop here\")\n");
        assertEquals(List.of(
                new Diagnostic(2, "Job 'setup' has empty inputs. Pass [:quire/push] (or another trigger) so it has something to fire it."),
                new Diagnostic(3, "stop here")), e.diagnostics());
    }

    @Test
    void shSecretAndJobsRefuseAtTopLevelAtTheirLine() {
        for (String call : List.of("(sh \"make\")", "(secret :token)", "(jobs :quire/push)")) {
            String name = call.substring(1, call.indexOf(' '));
            PipelineException e = invalid(HEAD + "\n" + call + "\n");
            assertEquals(List.of(new Diagnostic(3, name + " can only be called inside a job's run function")),
                    e.diagnostics(), call);
        }
    }

    @Test
    void shInsideAHelperCalledAtTopLevelIsLocatedAtTheCall() {
        PipelineException e = invalid(HEAD + "(fn helper []\n  (sh \"make\"))\n(helper)\n");
        assertEquals(List.of(new Diagnostic(3, "sh can only be called inside a job's run function")), e.diagnostics());
    }

    @Test
    void badJobArgumentsAreLuaErrorsAtTheCallLine() {
        assertEquals(List.of(new Diagnostic(2, "ci.job: the job id (argument 1) must be a string such as :build, got number 42")),
                invalid(HEAD + "(ci.job 42 [:quire/push] (fn [] nil))\n").diagnostics());
        assertEquals(List.of(new Diagnostic(2, "ci.job: the inputs (argument 2) of job 'a' must be a sequence of job ids"
                        + " such as [:quire/push], got string")),
                invalid(HEAD + "(ci.job :a :quire/push (fn [] nil))\n").diagnostics());
        assertEquals(List.of(new Diagnostic(2, "ci.job: the inputs (argument 2) of job 'a' must be a sequence of job ids"
                        + " such as [:quire/push], got a table with non-sequence keys")),
                invalid(HEAD + "(ci.job :a {:on :quire/push} (fn [] nil))\n").diagnostics());
        assertEquals(List.of(new Diagnostic(2, "ci.job: input 2 of job 'a' must be a job id string, got boolean true")),
                invalid(HEAD + "(ci.job :a [:quire/push true] (fn [] nil))\n").diagnostics());
        assertEquals(List.of(new Diagnostic(2, "ci.job: the run function (argument 3) of job 'a' must be a function, got string")),
                invalid(HEAD + "(ci.job :a [:quire/push] \"make\")\n").diagnostics());
        assertEquals(List.of(new Diagnostic(2, "ci.job: the run function (argument 3) of job 'a' must be a function, got nil")),
                invalid(HEAD + "(ci.job :a [:quire/push])\n").diagnostics());
        assertEquals(List.of(new Diagnostic(2, "ci.job takes 3 arguments (id inputs run-fn), got 4")),
                invalid(HEAD + "(ci.job :a [:quire/push] (fn [] nil) {:timeout 5})\n").diagnostics());
    }

    @Test
    void jobIdsInputsAndImagesThatAreNotUtf8AreRefusedAtTheirLine() {
        PipelineException e = invalid(HEAD + "(ci.image \"busybox\\255\")\n(ci.job \"a\\xA9A\\xFF\" [] (fn [] nil))\n"
                + "(ci.job :b [\"x\\xFF\"] (fn [] nil))\n");
        assertEquals(List.of(new Diagnostic(2, "ci.image: the image name is not UTF-8 text (byte 8 of 8 is 0xFF)")),
                e.diagnostics());
        e = invalid(HEAD + "(ci.job \"a\\xA9A\\xFF\" [] (fn [] nil))\n");
        assertEquals(List.of(new Diagnostic(2, "ci.job: the job id (argument 1) is not UTF-8 text (byte 2 of 4 is 0xA9)")),
                e.diagnostics());
        e = invalid(HEAD + "(ci.job :b [\"x\\xFF\"] (fn [] nil))\n");
        assertEquals(List.of(new Diagnostic(2, "ci.job: input 1 of job 'b' is not UTF-8 text (byte 2 of 2 is 0xFF)")),
                e.diagnostics());
    }

    @Test
    void badImageArgumentsAreLuaErrorsAtTheCallLine() {
        assertEquals(List.of(new Diagnostic(2, "ci.image: the image name must be a non-empty string such as"
                        + " \"debian:bookworm\", got number 5")),
                invalid(HEAD + "(ci.image 5)\n").diagnostics());
        assertEquals(List.of(new Diagnostic(2, "ci.image: the image name must be a non-empty string such as"
                        + " \"debian:bookworm\", got an empty string")),
                invalid(HEAD + "(ci.image \"\")\n").diagnostics());
    }

    @Test
    void removedQuireFormsFailClearly() {
        PipelineException e = invalid(HEAD + "(ci.mirror \"https://example.invalid/x.git\" {})\n");
        assertEquals(2, e.diagnostics().get(0).line());
        assertTrue(e.messages().get(0).startsWith("attempt to call a nil value"), e.messages().get(0));
    }

    @Test
    void unknownModuleFailsAtItsLine() {
        PipelineException e = invalid("\n(local std (require :quire.stdlib))\n");
        assertEquals(2, e.diagnostics().get(0).line());
        assertTrue(e.messages().get(0).contains("quire.stdlib"), e.messages().get(0));
    }

    @Test
    void infiniteTopLevelLoopStopsWithALimitError() {
        SandboxLimits small = SandboxLimits.defaults().withMaxInstructions(100_000);
        PipelineException e = assertThrows(PipelineException.class,
                () -> PipelineLoader.load(HEAD + "(while true nil)\n", "ci.fnl", small).close());
        assertEquals(1, e.diagnostics().size());
        assertEquals(2, e.diagnostics().get(0).line());
        assertTrue(e.messages().get(0).startsWith("instruction limit exceeded"), e.messages().get(0));
    }

    @Test
    void missingFileIsNamedInTheError() {
        Path missing = dir.resolve("nope/ci.fnl");
        PipelineException e = assertThrows(PipelineException.class,
                () -> PipelineLoader.load(missing, SandboxLimits.defaults()));
        assertEquals(missing + " has errors\n  " + missing + ": cannot read " + missing + ": no such file", e.getMessage());
    }

    @Test
    void directoryIsNamedInTheError() {
        PipelineException e = assertThrows(PipelineException.class, () -> PipelineLoader.load(dir, SandboxLimits.defaults()));
        assertEquals(List.of("cannot read " + dir + ": it is a directory, not a file"), e.messages());
    }

    @Test
    void invalidUtf8IsNamedWithTheByteOffset() throws Exception {
        Path file = Files.write(dir.resolve("ci.fnl"), new byte[] {'(', 'o', 'k', ')', '\n', (byte) 0xC3, '('});
        PipelineException e = assertThrows(PipelineException.class, () -> PipelineLoader.load(file, SandboxLimits.defaults()));
        assertEquals(List.of("cannot read " + file + ": not valid UTF-8 (byte offset 5)"), e.messages());
    }

    @Test
    void fileErrorsNameThePathGivenAndLocateLines() throws Exception {
        Path file = Files.writeString(dir.resolve("ci.fnl"), HEAD + "(ci.job :setup [] (fn [] nil))\n");
        PipelineException e = assertThrows(PipelineException.class, () -> PipelineLoader.load(file, SandboxLimits.defaults()));
        assertTrue(e.getMessage().startsWith(file + " has errors\n  " + file + ":2: Job 'setup' has empty inputs."),
                e.getMessage());
    }

    @Test
    void byteOrderMarkIsIgnored() throws Exception {
        Path file = dir.resolve("ci.fnl");
        Files.write(file, ("\uFEFF" + HEAD + "(ci.job :a [:quire/push] (fn [] nil))\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (LoadedPipeline loaded = PipelineLoader.load(file, SandboxLimits.defaults())) {
            assertEquals(2, loaded.pipeline().job("a").orElseThrow().line());
        }
    }
}
