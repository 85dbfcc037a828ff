package io.jenkins.plugins.quire.container;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Why: Quire CI's one JVM shutdown hook. The JVM runs its hooks at once and in no order, so aborting the runs in one
 * hook and removing their containers in another raced: a container vanished under a run that was still killing its
 * {@code sh}, and the abort was recorded as a container death. Here the steps run in order: first the steps given
 * to {@link #first} (the run layer aborts its runs and waits for their teardown), then every container still open in
 * this JVM is removed.
 */
public final class ShutdownSequence {
    private static final List<Runnable> FIRST = new CopyOnWriteArrayList<>();
    private static boolean installed;

    private ShutdownSequence() { }

    /** Runs {@code step} at JVM shutdown before the remaining containers are removed (in the order given). */
    public static void first(Runnable step) {
        FIRST.add(step);
        install();
    }

    static synchronized void install() {
        if (installed) return;
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(ShutdownSequence::run, "quire-shutdown"));
            installed = true;
        } catch (IllegalStateException alreadyShuttingDown) {
            // the JVM is going down: nothing to install
        }
    }

    static void run() {
        for (Runnable step : FIRST) {
            try {
                step.run();
            } catch (RuntimeException ignored) {
                // the containers must still go
            }
        }
        OpenContainers.closeAll();
    }
}
