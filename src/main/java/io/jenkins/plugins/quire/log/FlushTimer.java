package io.jenkins.plugins.quire.log;

/**
 * Runs a task once after a delay: {@link ConsoleFormatter} uses it to write a partial output line that waited too
 * long. Injected so tests drive time by hand instead of sleeping; {@link #system()} is the real one.
 */
public interface FlushTimer {
    /** Runs {@code task} once, {@code delayMs} from now, on another thread, unless cancelled first. */
    Pending schedule(Runnable task, long delayMs);

    /** A scheduled task. */
    interface Pending {
        /** Stops the task from running if it has not started; no effect otherwise. */
        void cancel();
    }

    /** The JVM-wide timer: one daemon thread shared by every run's console. */
    static FlushTimer system() {
        return SystemFlushTimer.INSTANCE;
    }
}
