package io.jenkins.plugins.quire.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Why: the exec agent needs two settings of the started container, its variables and its hostname, to give each
 * command the environment {@code docker exec} would. docker-java's inspect maps the whole answer onto its model
 * classes, and in a fresh JVM (every command-line run) building those mappings cost about 150 ms on the start's
 * critical path, the largest part of what the agent added there (docs/benchmarks.md). This asks the same
 * {@code GET /containers/{id}/json} on the client's own transport and reads only {@code Config.Env} and
 * {@code Config.Hostname} from the JSON tree.
 */
final class ContainerSettings {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The container's variables ({@code NAME=value}) and hostname (null when it has none). */
    record Settings(List<String> env, String hostname) { }

    private ContainerSettings() { }

    /** The started container's settings, or null when the engine did not give them (the caller says so). */
    static Settings read(DockerStreams streams, DockerCalls calls, String containerId) {
        try {
            return calls.call("inspect container", () -> {
                byte[] json = streams.get("/containers/" + DockerStreams.segment(containerId) + "/json");
                return json == null ? null : parse(json);
            });
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Reads {@code Config.Env} and {@code Config.Hostname} from an inspect answer. */
    static Settings parse(byte[] json) throws java.io.IOException {
        JsonNode config = JSON.readTree(json).path("Config");
        List<String> env = new ArrayList<>();
        for (JsonNode v : config.path("Env")) if (v.isTextual()) env.add(v.asText());
        JsonNode host = config.path("Hostname");
        return new Settings(List.copyOf(env), host.isTextual() && !host.asText().isEmpty() ? host.asText() : null);
    }
}
