package io.jenkins.plugins.quire.jenkins;

import hudson.remoting.Channel;
import hudson.remoting.VirtualChannel;
import hudson.remoting.Which;
import java.io.IOException;
import java.net.URL;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Why: an agent loads the engine's classes through the channel one round trip at a time, and the engine with its
 * shaded libraries is a few thousand classes: the first build on a fresh agent paid half a minute for that. The
 * channel can instead send the plugin's jar to the agent once ({@code Channel.preloadJar}); the agent then loads
 * classes and resources ({@code fennel.lua}, the exec agent binaries) from its copy. Later builds over the same
 * channel find it there (one round trip). When the engine does not come from a jar (the test harness loads it from
 * a classes folder) nothing is sent and the classes load one by one as before.
 */
final class EnginePreload {
    private static final Logger LOGGER = Logger.getLogger(EnginePreload.class.getName());

    private EnginePreload() {}

    /** Sends the plugin's jar over {@code channel} unless it is there already; failures only cost speed. */
    static void to(VirtualChannel channel) throws InterruptedException {
        if (!(channel instanceof Channel)) return; // the built-in node: nothing to send
        URL jar;
        try {
            jar = Which.jarURL(NodeRun.class);
        } catch (IOException | RuntimeException notAJar) {
            return;
        }
        if (jar == null || !jar.getPath().endsWith(".jar")) return;
        long t0 = System.nanoTime();
        try {
            boolean sent = ((Channel) channel).preloadJar(NodeRun.class.getClassLoader(), jar);
            LOGGER.fine("Quire CI: " + (sent ? "sent " : "already on the agent: ") + jar + " in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.INFO, "Quire CI: could not preload " + jar + " on " + channel
                    + "; classes load one by one", e);
        }
    }
}
