package io.jenkins.plugins.quire.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why: a run's container must go away on every path, including a JVM shutdown (Ctrl-C of the CLI, Jenkins
 * stopping). Every open RunContainer registers here until it is removed; one shutdown hook closes whatever is
 * still there.
 * Also tells the leftover sweep which containers are live in this JVM.
 */
final class OpenContainers {
    private static final Set<RunContainer> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private OpenContainers() { }

    static void add(RunContainer c) {
        installHook();
        OPEN.add(c);
    }

    static void remove(RunContainer c) {
        OPEN.remove(c);
    }

    /**
     * True while a run in this JVM still uses the container. A closed one whose removal failed stays registered
     * (so the shutdown hook retries) but is not in use: the leftover sweep may remove it.
     */
    static boolean isOpen(String containerId) {
        for (RunContainer c : OPEN) if (c.id().equals(containerId) && !c.isClosed()) return true;
        return false;
    }

    private static synchronized void installHook() {
        if (hookInstalled) return;
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(OpenContainers::closeAll, "quire-container-teardown"));
            hookInstalled = true;
        } catch (IllegalStateException alreadyShuttingDown) {
            // the JVM is going down: nothing to install
        }
    }

    static void closeAll() {
        List<RunContainer> all = new ArrayList<>(OPEN);
        for (RunContainer c : all) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // best effort on the way out
            }
        }
    }
}
