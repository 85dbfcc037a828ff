package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.quire.container.EngineConfig;
import io.jenkins.plugins.quire.pipeline.PipelineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that cannot start still leaves a run log whose {@code run-end} says why (the Quire CI page showed
 * "failure, no jobs" and nothing else): invalid pipeline, no image, no Docker engine. No Docker needed.
 */
class RunEndReasonTest {
    @TempDir Path ws;

    private RunOptions.Builder options(String fnl) throws Exception {
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), fnl);
        return RunOptions.builder(ws).owner("quire-test-run-end").logsDir(ws.resolve("logs"))
                .engine(EngineConfig.defaults().withHost("unix://" + ws.resolve("no-docker.sock")));
    }

    @Test
    void anInvalidPipelineEndsTheRunWithItsDiagnostics() throws Exception {
        RunOptions o = options("(local ci (require :quire.ci))\n(ci.job :a [:typo] (fn [] nil))\n")
                .imageOverride("x").build();
        assertThrows(PipelineException.class, () -> new PipelineRunner(o, List.of()).run());
        JsonNode end = RunEndReason.runEnd(ws.resolve("logs"));
        assertEquals("failure", end.get("status").asText());
        String reason = end.path("reason").asText();
        assertTrue(reason.contains(".quire/ci.fnl has errors"), reason);
        assertTrue(reason.contains("Job 'a' lists unknown input 'typo'."), reason);
    }

    @Test
    void noImageEndsTheRunSayingSo() throws Exception {
        RunOptions o = options("(local ci (require :quire.ci))\n(ci.job :a [:quire/push] (fn [] nil))\n").build();
        assertThrows(RunSetupException.class, () -> new PipelineRunner(o, List.of()).run());
        String reason = RunEndReason.runEnd(ws.resolve("logs")).path("reason").asText();
        assertTrue(reason.startsWith("no image to run the pipeline in"), reason);
    }

    @Test
    void anUnreachableEngineEndsTheRunNamingIt() throws Exception {
        RunOptions o = options("(local ci (require :quire.ci))\n(ci.job :a [:quire/push] (fn [] nil))\n")
                .imageOverride("quire-test:busybox").build();
        assertThrows(RunSetupException.class, () -> new PipelineRunner(o, List.of()).run());
        JsonNode end = RunEndReason.runEnd(ws.resolve("logs"));
        assertEquals("failure", end.get("status").asText());
        String reason = end.path("reason").asText();
        assertTrue(reason.contains(ws.resolve("no-docker.sock").toString()), reason);
    }
}
