package io.jenkins.plugins.quire.run;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Why: a run can be stopped from many places at once (the abort button, Ctrl-C, the JVM shutting down, the container
 * dying under several running jobs). This token is the one place that decides why it stopped: the first reason wins,
 * every later one is ignored, and everyone who must act (the container killing every running {@code sh}, each job's
 * Lua VM, the scheduler) observes it through {@link #onStop}. A container that goes down after an abort was taken
 * down by the abort, so it is not recorded as a death (docs/architecture.md, Abort and shutdown).
 */
public final class Abort {
    /** What stopped the run. */
    public enum Kind {
        /** The user or the JVM aborted it: running jobs end {@code aborted}. */
        ABORTED,
        /** The run's container died: running jobs fail with {@code container died: <reason>}. */
        CONTAINER_DIED
    }

    /** Why the run stopped. */
    public record Stop(Kind kind, String reason) {
        /** The text a job's end and the pending jobs' skips carry: {@code run aborted: ...} or {@code container died: ...}. */
        public String jobReason() {
            return (kind == Kind.ABORTED ? "run aborted: " : "container died: ") + reason;
        }
    }

    private final AtomicReference<Stop> stop = new AtomicReference<>();
    private final List<Consumer<Stop>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Stops the run for {@code reason} unless it was already stopped.
     *
     * @return true when this call decided the stop (its listeners have run), false when an earlier reason stands
     */
    public boolean trigger(Kind kind, String reason) {
        Stop s = new Stop(kind, reason == null || reason.isEmpty() ? "aborted" : reason);
        if (!stop.compareAndSet(null, s)) return false;
        for (Consumer<Stop> l : listeners) {
            if (listeners.remove(l)) notify(l, s); // removed first: each listener is told exactly once
        }
        return true;
    }

    /** The stop, once there is one. */
    public Optional<Stop> stop() {
        return Optional.ofNullable(stop.get());
    }

    public boolean isStopped() {
        return stop.get() != null;
    }

    /** True when the run was aborted (not when its container died). */
    public boolean isAborted() {
        Stop s = stop.get();
        return s != null && s.kind() == Kind.ABORTED;
    }

    /**
     * Calls {@code listener} once with the stop: now, on this thread, if the run is already stopped, else on the
     * thread that stops it. Closing the returned handle removes a listener that has not been called yet.
     */
    public Subscription onStop(Consumer<Stop> listener) {
        listeners.add(listener);
        Stop s = stop.get();
        if (s != null && listeners.remove(listener)) notify(listener, s);
        return () -> listeners.remove(listener);
    }

    /** A registered listener; closing it removes the listener if it has not been called yet. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private static void notify(Consumer<Stop> l, Stop s) {
        try {
            l.accept(s);
        } catch (RuntimeException e) {
            // one observer failing (e.g. a container already gone) must not keep the others from stopping
            java.util.logging.Logger.getLogger(Abort.class.getName())
                    .log(java.util.logging.Level.WARNING, "a stop listener failed", e);
        }
    }
}
