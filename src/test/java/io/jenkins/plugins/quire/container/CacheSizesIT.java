package io.jenkins.plugins.quire.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real dockerd: a cache listing measures its volumes with the engine's df, and an engine whose df does not answer
 * (held back by a relay) still gets its volumes listed, with sizes unknown, once the call deadline passed.
 */
@Timeout(120)
class CacheSizesIT {
    private final String owner = "quire-test-cache-sizes " + UUID.randomUUID();
    private final String volume = CacheVolumes.nameOf(owner, "/c");

    private void createVolume() {
        DockerTestSupport.runOk("docker", "volume", "create", "--label", CacheVolumes.LABEL_CACHE + "=1",
                "--label", CacheVolumes.LABEL_OWNER + "=" + owner, "--label", CacheVolumes.LABEL_PATH + "=/c", volume);
    }

    @AfterEach
    void removeOurVolume() {
        DockerTestSupport.run(new java.util.ArrayList<>(), 60, "docker", "volume", "rm", "-f", volume);
    }

    @Test
    void anEmptyCacheIsMeasuredAsZeroBytes() {
        createVolume();
        List<CacheVolume> listed = DockerTestSupport.engine().cacheVolumes(owner);
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(0L, listed.get(0).size(), listed.toString());
        assertEquals("0 B", listed.get(0).sizeText());
    }

    @Test
    void aDfThatDoesNotAnswerLeavesSizesUnknownButTheListingWorks() throws Exception {
        createVolume();
        Path dir = Files.createTempDirectory("quire-cache-sizes");
        try (UnixSocketProxy proxy = new UnixSocketProxy(dir.resolve("docker.sock"), Path.of("/var/run/docker.sock"));
             DockerEngine relayed = DockerEngine.connect(EngineConfig.defaults().withHost(proxy.dockerHost())
                     .withCallTimeout(Duration.ofSeconds(2)))) {
            UnixSocketProxy.Hold hold = proxy.holdAnswerTo("/system/df");
            try {
                List<CacheVolume> listed = relayed.cacheVolumes(owner);
                assertTrue(hold.awaitRequest(0), "the listing asked the engine's df");
                assertEquals(1, listed.size(), listed.toString());
                assertEquals("/c", listed.get(0).path());
                assertNull(listed.get(0).size(), listed.toString());
                assertEquals("unknown", listed.get(0).sizeText());
            } finally {
                hold.release();
            }
        } finally {
            Files.deleteIfExists(dir.resolve("docker.sock"));
            Files.deleteIfExists(dir);
        }
    }
}
