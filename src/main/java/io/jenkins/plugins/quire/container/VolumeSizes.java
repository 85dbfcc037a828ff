package io.jenkins.plugins.quire.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Why: docker-java has no {@code system df}, the only Engine API call that says how much a volume holds; this asks
 * it once per listing with a raw request on the client's own transport, under our deadline, and reads
 * {@code Volumes[].Name} and {@code Volumes[].UsageData.Size}. Sizes are best effort: when the engine does not
 * answer, or answers -1 ("not computed"), a volume has no size and the listing goes on without it.
 */
final class VolumeSizes {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** df walks every volume of the engine; a listing waits at most this long for it (or the call timeout if shorter). */
    static final Duration LIMIT = Duration.ofSeconds(10);

    private VolumeSizes() { }

    /** Volume name to size in bytes, for the volumes the engine measured; empty when df failed or timed out. */
    static Map<String, Long> ask(DockerStreams streams, DockerCalls calls) {
        try {
            Duration limit = calls.timeout().compareTo(LIMIT) < 0 ? calls.timeout() : LIMIT;
            return calls.call("measure cache volumes (system df)", limit, () -> {
                byte[] json = streams.get("/system/df?type=volume");
                return json == null ? Map.<String, Long>of() : parse(json);
            });
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    /** Reads the sizes from a {@code system df} answer; volumes without a known size (-1, missing) are left out. */
    static Map<String, Long> parse(byte[] json) throws IOException {
        Map<String, Long> sizes = new HashMap<>();
        JsonNode volumes = JSON.readTree(json).path("Volumes");
        if (!volumes.isArray()) return sizes;
        for (JsonNode v : volumes) {
            JsonNode name = v.path("Name");
            JsonNode size = v.path("UsageData").path("Size");
            if (name.isTextual() && size.canConvertToLong() && size.asLong() >= 0) sizes.put(name.asText(), size.asLong());
        }
        return sizes;
    }
}
