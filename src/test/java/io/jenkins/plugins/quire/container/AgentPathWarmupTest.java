package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exec agent's start path warmed in the background (AgentPathWarmup): every step runs to its end on made-up
 * input (a step that threw would be missing), with no Docker engine at all (this tier has none), once per JVM.
 */
class AgentPathWarmupTest {
    @Test
    void everyStepCompletesWithoutAnEngine() {
        assertEquals(List.of("binary", "frames", "tar", "identity", "json"), AgentPathWarmup.run());
    }

    @Test
    void runsOncePerJvm() {
        AgentPathWarmup.runOnce();                   // the first time here, or after another test class of this JVM
        assertEquals(List.of(), AgentPathWarmup.runOnce(), "a second warm-up ran in the same JVM");
    }

    @Test
    void thePlatformGuessIsOneTheBuildNamesItsBinariesBy() {
        String p = AgentPathWarmup.hostPlatform();
        assertNotNull(p);
        assertTrue(p.matches("linux-[a-z0-9_]+"), p);
        if (System.getProperty("os.arch").equals("amd64")) assertEquals("linux-amd64", p);
    }
}
