package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exec agent's start path warmed in the background (AgentPathWarmup): every step runs to its end on made-up
 * input (a step that threw would be missing), with no Docker engine at all (this tier has none), on a daemon thread
 * that ends by itself, once per JVM.
 */
class AgentPathWarmupTest {
    @Test
    void everyStepCompletesWithoutAnEngine() {
        assertEquals(List.of("binary", "frames", "tar", "identity", "json"), AgentPathWarmup.run());
    }

    @Test
    void runsOnceOnADaemonThreadThatEndsByItself() throws Exception {
        Thread t = AgentPathWarmup.startOnce();
        // another test class of this JVM may have started it first; then none is started again
        if (t != null) {
            assertTrue(t.isDaemon(), "a warm-up thread must never keep a JVM alive");
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(t.isAlive(), "the warm-up did not end");
        }
        assertNull(AgentPathWarmup.startOnce(), "a second warm-up was started in the same JVM");
    }

    @Test
    void thePlatformGuessIsOneTheBuildNamesItsBinariesBy() {
        String p = AgentPathWarmup.hostPlatform();
        assertNotNull(p);
        assertTrue(p.matches("linux-[a-z0-9_]+"), p);
        if (System.getProperty("os.arch").equals("amd64")) assertEquals("linux-amd64", p);
    }
}
