package io.jenkins.plugins.quire.log;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link FlushTimer}: one daemon thread for the whole JVM (a console schedules a flush only while a
 * partial line waits, and cancels it when the line completes, so the queue stays short), started on first use.
 */
final class SystemFlushTimer implements FlushTimer {
    static final SystemFlushTimer INSTANCE = new SystemFlushTimer();

    private final ScheduledThreadPoolExecutor executor;

    private SystemFlushTimer() {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "quire-console-flush");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Pending schedule(Runnable task, long delayMs) {
        ScheduledFuture<?> f = executor.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }
}
