package io.jenkins.plugins.quire.log;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FlushTimer} whose time moves only when a test calls {@link #advance}: tasks due by then run on the
 * caller's thread, in due order. A real timer, not a mock: it runs exactly what was scheduled and not cancelled.
 */
public final class ManualFlushTimer implements FlushTimer {
    private final List<Task> tasks = new ArrayList<>();
    private long now;

    @Override
    public synchronized Pending schedule(Runnable task, long delayMs) {
        Task t = new Task(now + delayMs, task);
        tasks.add(t);
        return () -> {
            synchronized (ManualFlushTimer.this) {
                tasks.remove(t);
            }
        };
    }

    /** Moves time on by {@code ms} and runs every task that has come due (outside this timer's lock). */
    public void advance(long ms) {
        long until;
        synchronized (this) {
            now += ms;
            until = now;
        }
        while (true) {
            Task due = null;
            synchronized (this) {
                for (Task t : tasks) if (t.due <= until && (due == null || t.due < due.due)) due = t;
                if (due == null) return;
                tasks.remove(due);
            }
            due.task.run();
        }
    }

    /** Tasks scheduled and neither run nor cancelled. */
    public synchronized int pending() {
        return tasks.size();
    }

    private record Task(long due, Runnable task) {}
}
