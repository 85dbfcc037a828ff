package io.jenkins.plugins.quire.container;

import java.util.function.Supplier;

/**
 * Why: at the end of every {@code sh} the engine lists the container's processes once ({@code docker top}) to see
 * whether the command left anything behind. With many jobs ending their {@code sh} at once, one listing per
 * {@code sh} made dockerd (which runs {@code ps} on the host for each) the bottleneck. A listing that was started
 * after a caller's command ended is just as good for that caller, so callers share listings: {@link #after} returns
 * the result of a fetch that began no earlier than the given time, joining one in flight when it qualifies and
 * starting one otherwise. At most one fetch runs at a time.
 */
final class FreshSnapshot<T> {
    private final Supplier<T> fetch;
    private final Object lock = new Object();
    private boolean fetching;
    private long fetchStartedAt;
    private long resultStartedAt = Long.MIN_VALUE;
    private T result;
    private long generation;

    FreshSnapshot(Supplier<T> fetch) {
        this.fetch = fetch;
    }

    /**
     * A result of a fetch that started at or after {@code notBefore} ({@link System#nanoTime()} time); may be null
     * when the fetch returned null.
     */
    T after(long notBefore) {
        long mine;
        synchronized (lock) {
            while (true) {
                if (generation > 0 && resultStartedAt - notBefore >= 0) return result;
                if (!fetching) break;
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null; // the caller treats "no listing" as "cannot tell"
                }
            }
            fetching = true;
            fetchStartedAt = System.nanoTime();
            mine = fetchStartedAt;
        }
        T r = null;
        try {
            r = fetch.get();
            return r;
        } finally {
            synchronized (lock) {
                result = r;
                resultStartedAt = mine;
                generation++;
                fetching = false;
                lock.notifyAll();
            }
        }
    }
}
