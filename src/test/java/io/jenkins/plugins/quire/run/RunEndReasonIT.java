package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.quire.container.DockerEngineExtension;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Real dockerd: a run whose image is missing (and cannot be pulled) ends with a run-end that names the image. */
class RunEndReasonIT {
    /** A registry on a closed local port: the pull fails at once, without leaving the machine. */
    static final String MISSING_IMAGE = "127.0.0.1:1/quire-test:missing";
    private static final String OWNER = DockerTestSupport.owner(RunEndReasonIT.class);
    @RegisterExtension
    static final DockerEngineExtension DOCKER = new DockerEngineExtension(OWNER);

    @TempDir Path ws;

    @Test
    void aMissingImageEndsTheRunNamingTheImage() throws Exception {
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), "(local ci (require :quire.ci))\n"
                + "(ci.job :a [:quire/push] (fn [{: sh}] (sh \"true\") {}))\n");
        RunOptions o = RunOptions.builder(ws).imageOverride(MISSING_IMAGE).owner(OWNER).logsDir(ws.resolve("logs")).build();
        RunSetupException e = assertThrows(RunSetupException.class, () -> new PipelineRunner(o, List.of()).run());
        JsonNode end = RunEndReason.runEnd(ws.resolve("logs"));
        assertEquals("failure", end.get("status").asText());
        String reason = end.path("reason").asText();
        assertTrue(reason.contains("image '" + MISSING_IMAGE + "' is not available locally and could not be pulled"),
                reason);
        assertEquals(e.getMessage(), reason);
    }
}
