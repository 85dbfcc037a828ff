package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The negotiation rule: min(engine's newest API, docker-java's newest), refused when the engine's minimum is higher. */
class ApiVersionChoiceTest {
    @Test
    void olderEngineGetsItsOwnVersion() {
        assertEquals("1.41", DockerClientFactory.choose("1.41", "1.12"));
    }

    @Test
    void newerEngineGetsTheLibraryMaximum() {
        assertEquals("1.44", DockerClientFactory.choose("1.52", "1.44"));
    }

    @Test
    void versionsCompareNumericallyNotAsText() {
        assertTrue(DockerClientFactory.compare("1.9", "1.10") < 0);
        assertEquals("1.9", DockerClientFactory.choose("1.9", null));
    }

    @Test
    void engineWhoseMinimumIsAboveTheLibraryIsRefusedClearly() {
        ContainerException e = assertThrows(ContainerException.class, () -> DockerClientFactory.choose("1.50", "1.45"));
        assertEquals("the Docker engine needs API version >= 1.45 but this plugin's Docker client speaks at most 1.44", e.getMessage());
    }
}
