package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.run.PipelineRunner;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Why: the controller stops a run on an agent by its key ({@link AbortNodeRun}), so the runs going on in this JVM
 * (the agent's, or the controller's own for a local workspace) are found here while they run.
 */
final class NodeRuns {
    private static final Map<String, PipelineRunner> RUNNING = new ConcurrentHashMap<>();
    private static final AtomicInteger STARTED = new AtomicInteger();

    private NodeRuns() {}

    static void add(String key, PipelineRunner runner) {
        RUNNING.put(key, runner);
        STARTED.incrementAndGet();
    }

    /** How many runs this JVM has started (tests check on which node a build's engine ran). */
    static int started() {
        return STARTED.get();
    }

    static void remove(String key) {
        RUNNING.remove(key);
    }

    /** Aborts the run of {@code key}; false when no such run is going on (it has ended or never started). */
    static boolean abort(String key, String reason) {
        PipelineRunner r = RUNNING.get(key);
        if (r == null) return false;
        r.abort(reason);
        return true;
    }
}
