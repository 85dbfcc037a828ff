package io.jenkins.plugins.quire.container;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Why: with several execs running at once, the events stream, an {@code inspect} and any exec that finds the container
 * gone may each learn of the container's death; this is the one place that knows it. The first reason wins, every
 * listener hears that one reason once, and waiters can wait for it with a deadline. Written by
 * {@link ContainerEventWatch} (and by execs that saw the container go); read by {@link RunContainer}. A death during
 * our own teardown ({@link #tearingDown()}) is not a death. Thread-safe.
 */
final class ContainerDeath {
    private final Object lock = new Object();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    /** A die/destroy event arrived or the engine went away: dead, even while the reason is still being read. */
    private boolean seen;
    private String reason;
    private boolean tearingDown;

    /** The death reason, once recorded; empty while the container is alive (or its reason is still unknown). */
    Optional<String> reason() {
        synchronized (lock) {
            return Optional.ofNullable(reason);
        }
    }

    /** True once the container is known dead: a reason was recorded or a death was seen whose reason is pending. */
    boolean isDead() {
        synchronized (lock) {
            return seen || reason != null;
        }
    }

    /** True once our own teardown started: from then on nothing is recorded. */
    boolean isTearingDown() {
        synchronized (lock) {
            return tearingDown;
        }
    }

    /** A die/destroy event or engine loss was seen; the reason follows through {@link #record}. */
    void seen() {
        synchronized (lock) {
            seen = true;
            lock.notifyAll();
        }
    }

    /**
     * Records the death reason unless one is recorded already or our teardown started.
     * @return true when this call's reason is the one (listeners are then called, on this thread)
     */
    boolean record(String why) {
        if (why == null) throw new IllegalArgumentException("a death needs a reason");
        synchronized (lock) {
            if (tearingDown || reason != null) return false;
            reason = why;
            seen = true;
            lock.notifyAll();
        }
        for (Consumer<String> l : listeners) {
            if (listeners.remove(l)) call(l, why);
        }
        return true;
    }

    /** Called once with the reason when the container dies (at once, on this thread, if it already has). */
    void onDeath(Consumer<String> listener) {
        listeners.add(listener);
        String r;
        synchronized (lock) {
            r = reason;
        }
        if (r != null && listeners.remove(listener)) call(listener, r);
    }

    /** Our own teardown begins: later deaths are the teardown's doing. Wakes every waiter. */
    void tearingDown() {
        synchronized (lock) {
            tearingDown = true;
            lock.notifyAll();
        }
    }

    /**
     * Waits up to {@code limit} for the reason; returns early (empty) when the teardown starts first or the
     * thread is interrupted (the interrupt flag is kept).
     */
    Optional<String> await(Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            while (reason == null && !tearingDown) {
                long left = end - System.nanoTime();
                if (left <= 0) break;
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return Optional.ofNullable(reason);
        }
    }

    /** Waits up to {@code limit} until the container is known dead ({@link #isDead()}); true when it is. */
    boolean awaitDead(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            while (!seen && reason == null) {
                long left = end - System.nanoTime();
                if (left <= 0) return false;
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private static void call(Consumer<String> l, String why) {
        try {
            l.accept(why);
        } catch (RuntimeException ignored) {
            // a listener's failure must not stop the others
        }
    }
}
