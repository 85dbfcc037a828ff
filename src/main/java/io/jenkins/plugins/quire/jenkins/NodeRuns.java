package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.run.PipelineRunner;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Why: the controller stops a run on an agent by its key ({@link AbortNodeRun}), so the runs going on in this JVM
 * (the agent's, or the controller's own for a local workspace) are found here while they run. The stop button can be
 * pressed before the run is registered (its classes still loading on a fresh agent, its pipeline being read): such an
 * abort is kept and the run is aborted the moment it registers, so no build ends ABORTED while its pipeline runs on.
 */
final class NodeRuns {
    /** How long an abort waits for its run to register; a run that never comes is forgotten after that. */
    private static final long EARLY_ABORT_NANOS = TimeUnit.MINUTES.toNanos(10);

    private static final Map<String, PipelineRunner> RUNNING = new HashMap<>();
    /** Aborts that came before their run: key to reason and arrival time. */
    private static final Map<String, EarlyAbort> EARLY = new HashMap<>();
    private static final AtomicInteger STARTED = new AtomicInteger();

    private record EarlyAbort(String reason, long at) { }

    private NodeRuns() {}

    /** Registers a run; aborts it at once when its abort came first. */
    static void add(String key, PipelineRunner runner) {
        EarlyAbort early;
        synchronized (NodeRuns.class) {
            long now = System.nanoTime();
            EARLY.values().removeIf(e -> now - e.at() > EARLY_ABORT_NANOS);
            RUNNING.put(key, runner);
            early = EARLY.remove(key);
        }
        STARTED.incrementAndGet();
        if (early != null) runner.abort(early.reason());
    }

    /** How many runs this JVM has started (tests check on which node a build's engine ran). */
    static int started() {
        return STARTED.get();
    }

    static synchronized void remove(String key) {
        RUNNING.remove(key);
        EARLY.remove(key);
    }

    /**
     * Aborts the run of {@code key}; when it is not registered yet, it is aborted as it registers.
     * @return false when no such run is going on yet (the abort is kept for it)
     */
    static boolean abort(String key, String reason) {
        PipelineRunner r;
        synchronized (NodeRuns.class) {
            r = RUNNING.get(key);
            if (r == null) EARLY.put(key, new EarlyAbort(reason, System.nanoTime()));
        }
        if (r == null) return false;
        r.abort(reason);
        return true;
    }
}
