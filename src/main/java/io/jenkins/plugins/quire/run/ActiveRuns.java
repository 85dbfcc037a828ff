package io.jenkins.plugins.quire.run;

import io.jenkins.plugins.quire.container.ShutdownSequence;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs going on in this JVM, so that a JVM shutdown (Hudson stopping, the CLI killed with SIGTERM outside the
 * command's own handler) ends them the way the abort button does: each is aborted and the shutdown waits, for a
 * bounded time, until it has removed its container and closed its logs with {@code run-end}.
 *
 * <p>Hudson closes the plugin's class loader while it shuts down, so every class the end of a run may need is loaded
 * when the first run starts ({@link #register}), not when it is first used ({@link ClassPreloader}).
 */
final class ActiveRuns {
    /** How long the JVM shutdown waits for aborted runs to clean up (an abort normally takes about a second). */
    static final long SHUTDOWN_WAIT_MS = 20_000;

    private static final Set<PipelineRunner> RUNS = ConcurrentHashMap.newKeySet();
    private static boolean prepared;

    private ActiveRuns() {}

    static void register(PipelineRunner runner) {
        prepare();
        RUNS.add(runner);
    }

    static void unregister(PipelineRunner runner) {
        synchronized (RUNS) {
            RUNS.remove(runner);
            RUNS.notifyAll();
        }
    }

    private static synchronized void prepare() {
        if (prepared) return;
        // every class the end of a run may need: the engine, LuaJ, and the (relocated) docker-java client and
        // Jackson; about 3,700 classes, 0.5 s in a cold JVM, so in the background, off the run's start-up path
        Thread preload = new Thread(() -> ClassPreloader.preload(List.of("io/jenkins/plugins/quire/", "org/luaj/vm2/"),
                List.of("io/jenkins/plugins/quire/jenkins/", "io/jenkins/plugins/quire/shaded/guava/",
                        "io/jenkins/plugins/quire/shaded/commons/", "org/luaj/vm2/luajc/")), "quire-class-preload");
        preload.setDaemon(true);
        preload.setPriority(Thread.MIN_PRIORITY);
        preload.start();
        // the first step of the one shutdown hook: only once the runs are done are leftover containers removed
        ShutdownSequence.first(ActiveRuns::abortAll);
        prepared = true;
    }

    /** Aborts every active run and waits until they are done, or {@link #SHUTDOWN_WAIT_MS} has passed. */
    static void abortAll() {
        for (PipelineRunner r : RUNS) r.abort("the JVM is shutting down");
        long deadline = System.currentTimeMillis() + SHUTDOWN_WAIT_MS;
        synchronized (RUNS) {
            long left;
            while (!RUNS.isEmpty() && (left = deadline - System.currentTimeMillis()) > 0) {
                try {
                    RUNS.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
