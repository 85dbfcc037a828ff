package io.jenkins.plugins.quire.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Why: the run-end tests read the last line of a run log the way any reader of the JSONL would. */
final class RunEndReason {
    private RunEndReason() {}

    /** The {@code run-end} event of {@code logs/log.jsonl}, which must be its last line. */
    static JsonNode runEnd(Path logs) throws IOException {
        List<String> lines = Files.readAllLines(logs.resolve("log.jsonl"), StandardCharsets.UTF_8);
        JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        if (!last.get("kind").asText().equals("run-end")) throw new AssertionError("last event is not run-end: " + lines);
        return last;
    }
}
