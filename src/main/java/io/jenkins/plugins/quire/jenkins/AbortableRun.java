package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.pipeline.PipelineException;
import io.jenkins.plugins.quire.run.PipelineRunner;
import io.jenkins.plugins.quire.run.RunResult;
import io.jenkins.plugins.quire.run.RunSetupException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link PipelineRunner} so that an interrupt of the calling thread (Hudson's abort button interrupts the
 * executor) becomes a clean abort: the run goes on in a worker thread, and when the caller is interrupted it calls
 * {@link PipelineRunner#abort}, waits for the runner to finish its cleanup (running {@code sh} killed, container
 * removed, logs closed with {@code run-end aborted}) and only then throws {@link InterruptedException}. Keeping
 * docker-java's blocking calls off the interrupted executor thread means an interrupt never lands inside them.
 */
final class AbortableRun {
    /** How long an aborted run may take to clean up before the build gives up waiting (it normally takes ~1 s). */
    static final long CLEANUP_WAIT_MS = TimeUnit.SECONDS.toMillis(60);

    private final PipelineRunner runner;
    private final String threadName;
    private final Object lock = new Object();
    private boolean done;
    private RunResult result;
    private Throwable failure;

    AbortableRun(PipelineRunner runner, String threadName) {
        this.runner = runner;
        this.threadName = threadName;
    }

    /**
     * Runs the pipeline to its end.
     *
     * @throws InterruptedException the calling thread was interrupted; the run was aborted and cleaned up (or the
     *     cleanup took longer than {@link #CLEANUP_WAIT_MS}, see {@link #cleanupFinished()})
     */
    RunResult run(String abortReason) throws InterruptedException, PipelineException, RunSetupException {
        Thread worker = new Thread(new Runnable() {
            @Override
            public void run() {
                work();
            }
        }, threadName);
        worker.setDaemon(true);
        worker.start();
        try {
            synchronized (lock) {
                while (!done) lock.wait();
            }
        } catch (InterruptedException e) {
            runner.abort(abortReason);
            awaitCleanup();
            InterruptedException aborted = new InterruptedException(abortReason);
            aborted.initCause(e);
            throw aborted;
        }
        return outcome();
    }

    /** Whether the worker has returned (after an abort: whether the cleanup finished in time). */
    boolean cleanupFinished() {
        synchronized (lock) {
            return done;
        }
    }

    /** The result once finished (null when the run threw or has not finished). */
    RunResult resultIfAny() {
        synchronized (lock) {
            return result;
        }
    }

    private void work() {
        RunResult r = null;
        Throwable t = null;
        try {
            r = runner.run();
        } catch (Throwable e) {
            t = e;
        }
        synchronized (lock) {
            result = r;
            failure = t;
            done = true;
            lock.notifyAll();
        }
    }

    /** Waits for the worker, ignoring further interrupts (a second click on abort), up to the cleanup limit. */
    private void awaitCleanup() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLEANUP_WAIT_MS);
        synchronized (lock) {
            while (!done) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) return;
                try {
                    lock.wait(left);
                } catch (InterruptedException again) {
                    // keep waiting: the build must not end before the container is gone
                }
            }
        }
    }

    private RunResult outcome() throws PipelineException, RunSetupException {
        synchronized (lock) {
            if (failure instanceof PipelineException p) throw p;
            if (failure instanceof RunSetupException s) throw s;
            if (failure instanceof RuntimeException r) throw r;
            if (failure instanceof Error e) throw e;
            if (failure != null) throw new IllegalStateException("the pipeline run failed: " + failure, failure);
            return result;
        }
    }
}
