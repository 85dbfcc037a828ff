package io.jenkins.plugins.quire.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.quire.container.ContainerException;
import io.jenkins.plugins.quire.container.DockerEngine;
import io.jenkins.plugins.quire.container.EngineUnavailableException;
import io.jenkins.plugins.quire.container.ImageUnavailableException;
import io.jenkins.plugins.quire.container.RunContainer;
import io.jenkins.plugins.quire.container.RunSpec;
import io.jenkins.plugins.quire.log.Durations;
import io.jenkins.plugins.quire.log.JobState;
import io.jenkins.plugins.quire.log.IoErrors;
import io.jenkins.plugins.quire.log.LogEvent;
import io.jenkins.plugins.quire.log.LogListener;
import io.jenkins.plugins.quire.log.Redactor;
import io.jenkins.plugins.quire.log.RunLog;
import io.jenkins.plugins.quire.log.RunStatus;
import io.jenkins.plugins.quire.pipeline.JobDefinition;
import io.jenkins.plugins.quire.pipeline.LoadedPipeline;
import io.jenkins.plugins.quire.pipeline.Pipeline;
import io.jenkins.plugins.quire.pipeline.PipelineException;
import io.jenkins.plugins.quire.pipeline.PipelineLoader;
import io.jenkins.plugins.quire.pipeline.PipelineSource;
import io.jenkins.plugins.quire.sandbox.ScriptException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Runs one pipeline end to end (docs/architecture.md): loads and validates ci.fnl, starts the run's container, runs the
 * jobs one at a time in topological order (a failure skips its transitive dependents, independent jobs still run),
 * records everything in the JSONL logs, and tears the container down on every path. {@link #abort} may be called
 * from any thread (abort button, Ctrl-C).
 */
public final class PipelineRunner {
    private final RunOptions options;
    private final List<LogListener> listeners;
    private final Object lock = new Object();
    private volatile String abortReason;
    private volatile String deathReason;
    private volatile boolean tearingDown;
    private LoadedPipeline loaded;
    private RunContainer container;

    public PipelineRunner(RunOptions options, List<LogListener> listeners) {
        this.options = options;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Runs the pipeline and returns how it ended; a job failure is a result, not an exception.
     *
     * @throws PipelineException ci.fnl is invalid (every diagnostic, with its line); nothing ran
     * @throws RunSetupException no image, no Docker engine, or an image that cannot be had; nothing ran
     */
    public RunResult run() throws PipelineException, RunSetupException {
        ActiveRuns.register(this);
        try {
            return runRegistered();
        } finally {
            ActiveRuns.unregister(this);
        }
    }

    /**
     * Opens the logs first, so that every way a run ends, including the ones where it never starts (invalid
     * pipeline, no image, no engine, missing image, a container that cannot be created), leaves a {@code run-end}
     * that says why.
     */
    private RunResult runRegistered() throws PipelineException, RunSetupException {
        long t0 = System.nanoTime();
        Redactor redactor = new Redactor();
        RunLog log;
        try {
            // made fresh now, before any container exists: the folder may lie in the workspace, which a container
            // can write (see LogsFolder)
            log = RunLog.open(options.logsDir(), options.workspace(), List.of(), redactor);
        } catch (IOException e) {
            throw logsFolderError(e);
        }
        listeners.forEach(log::addListener);
        RunResult result = null;
        String reason = null;
        try {
            result = loadAndRun(redactor, log, t0);
            return result;
        } catch (PipelineException | RunSetupException e) {
            reason = e.getMessage();
            throw e;
        } catch (RuntimeException | Error e) {
            reason = "internal error: " + e;
            throw e;
        } finally {
            try {
                RunStatus status = result != null ? result.status()
                        : abortReason != null ? RunStatus.ABORTED : RunStatus.FAILURE;
                if (reason == null && status == RunStatus.ABORTED) reason = "aborted: " + abortReason;
                if (reason == null && status == RunStatus.CONTAINER_DIED) reason = "container died: " + deathReason;
                log.runEnd(status, elapsedMs(t0), reason);
            } finally {
                log.close();
            }
        }
    }

    private RunResult loadAndRun(Redactor redactor, RunLog log, long t0) throws PipelineException, RunSetupException {
        String fileName = displayName(options.ciFile());
        try (LoadedPipeline pipeline = PipelineLoader.load(PipelineSource.read(options.ciFile(), fileName,
                options.workspace()), fileName,
                options.jobLimits())) {
            synchronized (lock) {
                loaded = pipeline;
            }
            pipeline.sandbox().setRedaction(redactor::redact); // error objects are redacted before they are rendered
            String image = resolveImage(pipeline.pipeline());
            try {
                // before the container starts: the folder may lie in the workspace, which the container can write
                log.declareJobs(jobIds(pipeline.pipeline()));
            } catch (IOException e) {
                throw logsFolderError(e);
            }
            log.pipeline(pipelineJobs(pipeline.pipeline()), 1);
            return runWithLog(pipeline, image, redactor, log, t0);
        } finally {
            synchronized (lock) {
                loaded = null;
            }
        }
    }

    private RunSetupException logsFolderError(IOException e) {
        return new RunSetupException("cannot write the logs folder " + options.logsDir() + ": "
                + IoErrors.describe(e), e);
    }

    /** The jobs that write a job log (sources such as quire/push have none). */
    private static List<String> jobIds(Pipeline p) {
        List<String> ids = new ArrayList<>();
        for (JobDefinition j : p.jobs()) if (!j.isSource()) ids.add(j.id());
        return ids;
    }

    /** The jobs with their inputs, as the {@code pipeline} event records them (sources have no entry). */
    private static List<LogEvent.PipelineJob> pipelineJobs(Pipeline p) {
        List<LogEvent.PipelineJob> jobs = new ArrayList<>();
        for (JobDefinition j : p.jobs()) if (!j.isSource()) jobs.add(new LogEvent.PipelineJob(j.id(), j.distinctInputs()));
        return jobs;
    }

    /** The pipeline file as errors name it: relative to the workspace when it is inside (.quire/ci.fnl). */
    private String displayName(Path file) {
        return file.startsWith(options.workspace()) ? options.workspace().relativize(file).toString() : file.toString();
    }

    /** Stops the run: the running sh is killed, the running job fails, the remaining jobs are skipped. */
    public void abort(String reason) {
        synchronized (lock) {
            if (abortReason == null) abortReason = reason == null ? "aborted" : reason; // the first reason stands
            if (container != null) container.abortRunningExecs(abortReason);
            if (loaded != null) loaded.sandbox().abort(abortReason);
        }
    }

    /**
     * Records the container's death once, whichever notices it first: the Docker events stream or the exec that
     * was running (whose result can arrive before the event does). Deaths during our own teardown are not deaths.
     */
    private void containerDied(String reason, RunLog log) {
        synchronized (lock) {
            // after an abort, a container that goes down was taken down by the abort (its last resort when the
            // process killer cannot run): that is the abort, not a death
            if (tearingDown || abortReason != null || deathReason != null) return;
            deathReason = reason;
        }
        log.containerDied(reason);
    }

    public boolean aborted() {
        return abortReason != null;
    }

    private String resolveImage(Pipeline p) throws RunSetupException {
        if (options.imageOverride() != null) return options.imageOverride();
        if (p.image().isPresent()) return p.image().get();
        if (options.defaultImage() != null) return options.defaultImage();
        throw new RunSetupException("no image to run the pipeline in: declare one with (ci.image \"name\") in "
                + options.ciFile().getFileName() + ", or pass one (--image on the command line, the build step's"
                + " image field, or the default image in the global Quire CI settings)", null);
    }

    private RunResult runWithLog(LoadedPipeline pipeline, String image, Redactor redactor, RunLog log, long t0)
            throws RunSetupException {
        List<JobOutcome> outcomes;
        RunStatus status;
        try (DockerEngine engine = connect()) {
            sweep(engine);
            RunContainer c = start(engine, image);
            try {
                synchronized (lock) {
                    container = c;
                    if (abortReason != null) c.abortRunningExecs(abortReason);
                }
                log.containerStart(image, c.id());
                c.onDeath(reason -> containerDied(reason, log));
                outcomes = runJobs(pipeline, c, redactor, log);
                status = statusOf(outcomes);
            } finally {
                synchronized (lock) {
                    tearingDown = true;
                    container = null;
                }
                c.close();
                log.containerEnd(!c.isRemoved() ? "not removed (the next run's sweep removes it)"
                        : deathReason != null ? "died" : "removed");
            }
        }
        return new RunResult(status, outcomes, elapsedMs(t0), deathReason);
    }

    private void sweep(DockerEngine engine) throws RunSetupException {
        try {
            engine.sweepLeftovers(options.owner());
        } catch (EngineUnavailableException e) {
            throw new RunSetupException(e.getMessage(), e);
        }
    }

    private DockerEngine connect() throws RunSetupException {
        try {
            return DockerEngine.connect(options.engine());
        } catch (EngineUnavailableException e) {
            throw new RunSetupException(e.getMessage(), e);
        }
    }

    private RunContainer start(DockerEngine engine, String image) throws RunSetupException {
        try {
            return engine.startRun(RunSpec.of(image, options.workspace(), options.runId(), options.owner())
                    .withUser(options.execUser()).withMemoryBytes(options.memoryBytes()));
        } catch (ImageUnavailableException | EngineUnavailableException e) {
            throw new RunSetupException(e.getMessage(), e);
        } catch (ContainerException e) {
            throw new RunSetupException("could not start the run's container from image '" + image + "': "
                    + e.getMessage(), e);
        }
    }

    private RunStatus statusOf(List<JobOutcome> outcomes) {
        if (abortReason != null) return RunStatus.ABORTED;
        if (deathReason != null) return RunStatus.CONTAINER_DIED;
        for (JobOutcome o : outcomes) if (o.state() == JobState.FAILED) return RunStatus.FAILURE;
        return RunStatus.SUCCESS;
    }

    private List<JobOutcome> runJobs(LoadedPipeline pipeline, RunContainer c, Redactor redactor, RunLog log) {
        Pipeline p = pipeline.pipeline();
        Map<String, JobOutcome> finished = new LinkedHashMap<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "quire-run-timer");
            t.setDaemon(true);
            return t;
        });
        try {
            for (JobDefinition job : p.topologicalOrder()) {
                JobOutcome o = runOne(pipeline, job, c, redactor, log, finished, timer);
                finished.put(job.id(), o);
            }
        } finally {
            timer.shutdownNow();
        }
        return new ArrayList<>(finished.values());
    }

    private JobOutcome runOne(LoadedPipeline pipeline, JobDefinition job, RunContainer c, Redactor redactor,
            RunLog log, Map<String, JobOutcome> finished, ScheduledExecutorService timer) {
        String skip = skipReason(job, finished);
        if (skip != null) {
            String root = failedRoot(job, finished);
            log.jobEnd(job.id(), JobState.SKIPPED, 0, skip, null);
            return new JobOutcome(job.id(), JobState.SKIPPED, 0, skip, null, root);
        }
        long t0 = System.nanoTime();
        log.jobStart(job.id());
        if (job.isSource()) {
            JsonNode push;
            try {
                push = PushInfo.read(options.workspace(), options.environment());
            } catch (TimeoutException e) {
                String reason = "cannot read " + job.id() + ": " + e.getMessage();
                log.jobEnd(job.id(), JobState.FAILED, elapsedMs(t0), reason, null);
                return new JobOutcome(job.id(), JobState.FAILED, elapsedMs(t0), reason, null, null);
            }
            log.jobEnd(job.id(), JobState.SUCCEEDED, elapsedMs(t0), null, push);
            return new JobOutcome(job.id(), JobState.SUCCEEDED, elapsedMs(t0), null, push, null);
        }
        JobRuntime runtime = new JobRuntime(job.id(), pipeline.pipeline().transitiveInputs(job.id()), finished,
                options.secrets(), redactor, c, log.job(job.id()), OutputTail.DEFAULT_CAPACITY,
                reason -> containerDied(reason, log), timer, options.jobTimeout());
        String timeoutReason = "job '" + job.id() + "' timed out after " + Durations.format(options.jobTimeout().toMillis());
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            c.abortRunningExecs(timeoutReason);
            pipeline.sandbox().abort(timeoutReason);
        }, options.jobTimeout().toMillis(), TimeUnit.MILLISECONDS);
        JobState state;
        String reason = null;
        JsonNode outputs = null;
        try {
            Varargs ret = pipeline.runJob(job, runtime, options.jobLimits());
            LuaValue v = ret.arg1();
            if (v.isnil()) {
                state = JobState.SKIPPED;
                reason = "the run function returned nil";
            } else {
                try {
                    outputs = LuaJson.toJson(v, options.outputLimits());
                    state = JobState.SUCCEEDED;
                } catch (LuaJson.TooLargeException e) {
                    state = JobState.FAILED;
                    reason = redactor.redact(pipeline.fileName() + ":" + job.line() + ": job '" + job.id()
                            + "' returned outputs that are too large: " + e.getMessage());
                } catch (IllegalArgumentException e) {
                    state = JobState.FAILED;
                    reason = redactor.redact(pipeline.fileName() + ":" + job.line() + ": job '" + job.id()
                            + "' returned something that is not data: " + e.getMessage());
                }
            }
        } catch (ScriptException e) {
            state = JobState.FAILED;
            reason = redactor.redact(e.getMessage());
        } finally {
            timeout.cancel(false);
        }
        if (abortReason != null && state != JobState.SUCCEEDED) {
            // it was running when the run was aborted: the abort is why it ended, whatever the script made of it
            state = JobState.ABORTED;
            reason = "run aborted: " + abortReason;
        } else if (deathReason != null && state != JobState.FAILED) {
            state = JobState.FAILED;
            reason = "container died: " + deathReason;
            outputs = null;
        } else if (deathReason != null) {
            reason = "container died: " + deathReason;
        }
        long ms = elapsedMs(t0);
        log.jobEnd(job.id(), state, ms, reason, outputs);
        return new JobOutcome(job.id(), state, ms, reason, outputs, null);
    }

    /** Why {@code job} does not run, or null when it runs. */
    private String skipReason(JobDefinition job, Map<String, JobOutcome> finished) {
        if (abortReason != null) return "run aborted: " + abortReason;
        if (deathReason != null) return "container died: " + deathReason;
        String root = failedRoot(job, finished);
        return root == null ? null : "upstream '" + root + "' failed";
    }

    /** The first failed job (in input order) whose failure reaches {@code job} through its inputs, or null. */
    private static String failedRoot(JobDefinition job, Map<String, JobOutcome> finished) {
        for (String input : job.distinctInputs()) {
            JobOutcome o = finished.get(input);
            if (o != null && o.failureOrigin() != null) return o.failureOrigin();
        }
        return null;
    }

    private static long elapsedMs(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
