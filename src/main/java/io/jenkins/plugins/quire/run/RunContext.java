package io.jenkins.plugins.quire.run;

import io.jenkins.plugins.quire.container.RunContainer;
import io.jenkins.plugins.quire.log.Redactor;
import io.jenkins.plugins.quire.log.RunLog;
import io.jenkins.plugins.quire.sandbox.RunLuaBudget;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Why: everything one run shares between its jobs, in one object instead of a long parameter list per job: the
 * options, the logs and their redactor, the Lua memory pool, the {@link Abort} token every part observes, the timer that drives job
 * timeouts and output flushing, and the run's container once it has started. Jobs running at once read it from
 * their own threads; the container is published once and never replaced.
 */
final class RunContext implements AutoCloseable {
    private final RunOptions options;
    private final RunLog log;
    private final Redactor redactor;
    private final Abort abort;
    private final ScheduledExecutorService timer;
    private final RunLuaBudget luaBudget;
    private volatile RunContainer container;
    private volatile boolean tearingDown;

    RunContext(RunOptions options, RunLog log, Redactor redactor, Abort abort) {
        this.options = options;
        this.abort = abort;
        this.luaBudget = RunLuaBudget.of(options.jobLimits());
        this.log = log;
        this.redactor = redactor;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "quire-run-timer");
            t.setDaemon(true);
            return t;
        });
    }

    RunOptions options() {
        return options;
    }

    RunLog log() {
        return log;
    }

    Redactor redactor() {
        return redactor;
    }

    Abort abort() {
        return abort;
    }

    /** Job timeouts and the output coalescers' flushes. */
    ScheduledExecutorService timer() {
        return timer;
    }

    /** The memory for Lua values of the whole run: jobs running at once share it instead of each having it. */
    RunLuaBudget luaBudget() {
        return luaBudget;
    }

    Map<String, String> secrets() {
        return options.secrets();
    }

    /** The run's container; null before it has started. */
    RunContainer container() {
        return container;
    }

    /**
     * Publishes the started container: an abort kills every {@code sh} running in it (at once if the run was already
     * aborted), and its death stops the run.
     */
    void containerStarted(RunContainer c) {
        container = c;
        abort.onStop(s -> {
            if (s.kind() == Abort.Kind.ABORTED) c.abortRunningExecs(s.reason());
        });
        c.onDeath(this::containerDied);
    }

    /**
     * The container died (the events stream or an exec noticed first, whichever): recorded once, unless the run
     * was stopped already (an abort takes the container down as its last resort) or is tearing it down itself.
     */
    void containerDied(String reason) {
        if (tearingDown) return;
        if (abort.trigger(Abort.Kind.CONTAINER_DIED, reason)) log.containerDied(reason);
    }

    /** From now on the container going away is the run's own doing. */
    void tearingDown() {
        tearingDown = true;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
