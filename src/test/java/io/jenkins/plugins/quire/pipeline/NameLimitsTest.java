package io.jenkins.plugins.quire.pipeline;

import static io.jenkins.plugins.quire.pipeline.PipelineLoaderTest.HEAD;
import static io.jenkins.plugins.quire.pipeline.PipelineLoaderTest.invalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Names and strings that end up as file names, Docker references or execve arguments are bounded at validation, with
 * the ci.fnl line, instead of failing later (a 256-character job id made every sh fail with a stack trace).
 */
class NameLimitsTest {
    @Test
    void aJobIdOverOneHundredCharactersIsRefusedWithItsLineAndAShortenedName() {
        String id = "j".repeat(300);
        PipelineException e = invalid(HEAD + "(ci.job :ok [:quire/push] (fn [] nil))\n(ci.job :" + id
                + " [:quire/push] (fn [] nil))\n");
        String shown = "'" + "j".repeat(60) + "...' (300 characters)";
        assertEquals(List.of(new Diagnostic(3, "Job id " + shown
                + " is too long: job ids have at most 100 characters, because they name log folders.")), e.diagnostics());
        assertFalse(e.getMessage().contains("j".repeat(61) + "'"), "the full id is not repeated in the message");
    }

    @Test
    void aJobIdOfExactlyOneHundredCharactersIsFine() throws Exception {
        String id = "k".repeat(100);
        try (LoadedPipeline p = PipelineLoader.load(HEAD + "(ci.job :" + id + " [:quire/push] (fn [] nil))\n",
                "ci.fnl", SandboxLimits.defaults())) {
            assertTrue(p.pipeline().job(id).isPresent());
        }
    }

    @Test
    void anUnknownInputWithAHugeNameIsQuotedShortened() {
        PipelineException e = invalid(HEAD + "(ci.job :a [:quire/push \"" + "x".repeat(5000) + "\"] (fn [] nil))\n");
        assertEquals(List.of(new Diagnostic(2, "Job 'a' lists unknown input '" + "x".repeat(60)
                + "...' (5000 characters).")), e.diagnostics());
    }

    @Test
    void anImageNameTooLongOrWithControlCharactersIsRefusedWithItsLine() {
        PipelineException e = invalid(HEAD + "(ci.image \"" + "a".repeat(600) + "\")\n");
        assertTrue(e.getMessage().contains("ci.fnl:2: ci.image: the image name is too long (600 characters, at most 512)"),
                e.getMessage());
        PipelineException ctl = invalid(HEAD + "(ci.image \"debian\\nbookworm\")\n");
        assertTrue(ctl.getMessage().contains(
                "ci.fnl:2: ci.image: the image name must not contain spaces or control characters, got \"debian?bookworm\""),
                ctl.getMessage());
    }
}
