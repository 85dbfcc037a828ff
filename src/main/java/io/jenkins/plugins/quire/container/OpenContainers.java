package io.jenkins.plugins.quire.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why: a run's container must go away on every path, including a JVM shutdown (Ctrl-C of the CLI, Jenkins
 * stopping). Every open RunContainer registers here until it is removed; the shutdown hook
 * ({@link ShutdownSequence}) closes whatever is still there once the runs had their chance to end.
 * Also tells the leftover sweep which containers are live in this JVM: those registered here and not closed, and
 * those of runs that are starting ({@link #starting}), whose container the engine may have created already while the
 * run does not know its id yet. Concurrent runs of one JVM (builds of one Hudson) sweep at every start, so a
 * container between create and registration would otherwise be removed under its live run.
 */
final class OpenContainers {
    private static final Set<RunContainer> OPEN = ConcurrentHashMap.newKeySet();
    /** Run id to the number of container starts in progress for it (create call made, not registered yet). */
    private static final Map<String, Integer> STARTING = new ConcurrentHashMap<>();

    private OpenContainers() { }

    static void add(RunContainer c) {
        ShutdownSequence.install();
        OPEN.add(c);
    }

    static void remove(RunContainer c) {
        OPEN.remove(c);
    }

    /** Called before the create call of a run's container; {@link #started} follows once it is registered or failed. */
    static void starting(String runId) {
        STARTING.merge(runId, 1, Integer::sum);
    }

    static void started(String runId) {
        STARTING.computeIfPresent(runId, (k, n) -> n <= 1 ? null : n - 1);
    }

    /**
     * True while a run of this JVM uses, or is about to use, a container labelled with {@code runId} and id
     * {@code containerId}. Checks the starting runs first: a start registers its container before it ends its
     * "starting" state, so a container listed by the sweep is always seen by one of the two checks.
     */
    static boolean isLive(String runId, String containerId) {
        if (runId != null && STARTING.containsKey(runId)) return true;
        return isOpen(containerId);
    }

    /**
     * True while a run in this JVM still uses the container. A closed one whose removal failed stays registered
     * (so the shutdown hook retries) but is not in use: the leftover sweep may remove it.
     */
    static boolean isOpen(String containerId) {
        for (RunContainer c : OPEN) if (c.id().equals(containerId) && !c.isClosed()) return true;
        return false;
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
