package io.jenkins.plugins.quire.log;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that writes a run's logs. Output arrives on the threads reading the execs' streams; redacting,
 * encoding JSON, writing the files and formatting the console happen here instead, so reading a pipe and writing
 * its log proceed at once. Tasks run one at a time in the order they were handed over (so the events of a job keep
 * their order, and an {@code sh-exit} handed over after its output comes after it).
 *
 * <p>The queue is bounded by the bytes of output it holds: {@link #submit} blocks while it holds
 * {@link #maxQueuedBytes()} (back-pressure: a slow disk or console slows the reading of the pipe, it never makes
 * memory grow). {@link #call} hands a task over and waits until it ran, rethrowing what it threw (not for the
 * idle flush after it: a task that must be on disk flushes its own file). {@code onIdle}
 * runs whenever the queue has been emptied (the run log writes out its buffered lines there, so a busy file is
 * written once per burst of events, not once per event). Waiting here is not cut by interrupts (an abort interrupts a
 * job's thread, and its last events must still be written); the interrupt flag is kept for the caller.
 */
final class LogWriter {
    private static final Logger LOG = Logger.getLogger(LogWriter.class.getName());

    /** Default bound of the output bytes waiting to be written, per run. */
    static final int DEFAULT_MAX_QUEUED_BYTES = 4 * 1024 * 1024;

    /** A piece of work for the writer thread. */
    interface Task {
        void run();
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Condition finished = lock.newCondition();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final int maxQueuedBytes;
    private final Runnable onIdle;
    private final Thread thread;
    private long queuedBytes;
    private long peakQueuedBytes;
    private boolean closing;
    private boolean stopped;

    LogWriter(String name, int maxQueuedBytes, Runnable onIdle) {
        if (maxQueuedBytes < 1) throw new IllegalArgumentException("maxQueuedBytes must be positive");
        this.maxQueuedBytes = maxQueuedBytes;
        this.onIdle = onIdle;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    int maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** The most output bytes ever waiting at once (for tests of the bound). */
    long peakQueuedBytes() {
        lock.lock();
        try {
            return peakQueuedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Output bytes waiting now. */
    long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** True on the writer thread itself. */
    boolean isWriterThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Hands {@code task} over without waiting for it to run; {@code bytes} is the output it carries. Blocks while
     * the queue holds other output and adding this would pass the bound (a single task larger than the bound waits
     * for an empty queue). Returns false, running nothing, when the writer is closed.
     */
    boolean submit(Task task, int bytes) {
        if (isWriterThread()) { // a listener writing back into the log: no queue to wait on, run it in place
            if (stopped) return false;
            task.run();
            return true;
        }
        boolean interrupted = false;
        lock.lock();
        try {
            while (!closing && queuedBytes > 0 && queuedBytes + bytes > maxQueuedBytes) {
                try {
                    notFull.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (closing) return false;
            queue.addLast(new Entry(task, bytes, null));
            queuedBytes += bytes;
            peakQueuedBytes = Math.max(peakQueuedBytes, queuedBytes);
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs {@code task} on the writer after everything handed over before it and waits for it; a RuntimeException or Error it threw is rethrown here. Returns false, running nothing, when
     * the writer is closed.
     */
    boolean call(Task task) {
        if (isWriterThread()) {
            if (stopped) return false;
            task.run();
            return true;
        }
        Done done = new Done();
        boolean interrupted = false;
        lock.lock();
        try {
            if (closing) return false;
            queue.addLast(new Entry(task, 0, done));
            notEmpty.signal();
            while (!done.finished) {
                try {
                    finished.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            lock.unlock();
            if (interrupted) Thread.currentThread().interrupt();
        }
        if (done.failure instanceof RuntimeException r) throw r;
        if (done.failure instanceof Error e) throw e;
        return true;
    }

    /**
     * Runs {@code last} after everything already handed over, then stops the thread; later {@link #submit} and
     * {@link #call} return false. Idempotent: a second call runs nothing and returns false.
     */
    boolean close(Task last) {
        if (isWriterThread()) throw new IllegalStateException("the log writer cannot close itself");
        lock.lock();
        try {
            if (closing) return false;
        } finally {
            lock.unlock();
        }
        boolean ran;
        try {
            ran = call(last);
        } finally {
            lock.lock();
            try {
                closing = true;
                notEmpty.signal();
                notFull.signalAll();
            } finally {
                lock.unlock();
            }
            joinUninterruptibly();
        }
        return ran;
    }

    private void joinUninterruptibly() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void loop() {
        while (true) {
            Entry e;
            lock.lock();
            try {
                while (queue.isEmpty() && !closing) notEmpty.awaitUninterruptibly();
                if (queue.isEmpty()) {
                    stopped = true;
                    return;
                }
                e = queue.pollFirst();
            } finally {
                lock.unlock();
            }
            Throwable failure = null;
            try {
                e.task.run();
            } catch (Throwable t) { // an async task reports its own failures; this keeps the writer alive
                failure = t;
                if (e.done == null) LOG.log(Level.WARNING, "a log write failed", t);
            }
            boolean idle;
            lock.lock();
            try {
                queuedBytes -= e.bytes;
                notFull.signalAll();
                idle = queue.isEmpty();
                // the waiting caller goes on now: its task wrote (and flushed) what it waits for, and the idle
                // flush below is for the other files; an sh waits for its sh-exit, not for them
                if (e.done != null) {
                    e.done.failure = failure;
                    e.done.finished = true;
                    finished.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (idle) {
                try {
                    onIdle.run();
                } catch (Throwable t) { // the run log keeps a file's failure and reports it at its next write
                    LOG.log(Level.WARNING, "flushing the logs failed", t);
                }
            }
        }
    }

    private record Entry(Task task, int bytes, Done done) {}

    private static final class Done {
        boolean finished;
        Throwable failure;
    }
}
