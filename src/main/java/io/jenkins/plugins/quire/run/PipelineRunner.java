package io.jenkins.plugins.quire.run;

import io.jenkins.plugins.quire.container.CacheMount;
import io.jenkins.plugins.quire.container.ContainerException;
import io.jenkins.plugins.quire.container.DockerEngine;
import io.jenkins.plugins.quire.container.EngineUnavailableException;
import io.jenkins.plugins.quire.container.ImageUnavailableException;
import io.jenkins.plugins.quire.container.RunContainer;
import io.jenkins.plugins.quire.container.ExecModeReport;
import io.jenkins.plugins.quire.container.RunSpec;
import io.jenkins.plugins.quire.container.WorkspaceNotVisibleException;
import io.jenkins.plugins.quire.log.JobState;
import io.jenkins.plugins.quire.log.IoErrors;
import io.jenkins.plugins.quire.log.LogEvent;
import io.jenkins.plugins.quire.log.LogListener;
import io.jenkins.plugins.quire.log.Redactor;
import io.jenkins.plugins.quire.log.RunLog;
import io.jenkins.plugins.quire.log.RunStatus;
import io.jenkins.plugins.quire.pipeline.CacheDeclaration;
import io.jenkins.plugins.quire.pipeline.JobDefinition;
import io.jenkins.plugins.quire.pipeline.LoadedPipeline;
import io.jenkins.plugins.quire.pipeline.Pipeline;
import io.jenkins.plugins.quire.pipeline.PipelineException;
import io.jenkins.plugins.quire.pipeline.PipelineLoader;
import io.jenkins.plugins.quire.pipeline.PipelineSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one pipeline end to end (docs/architecture.md): loads and validates ci.fnl, starts the run's container, runs
 * the jobs through the {@link JobScheduler} (each as soon as its inputs have ended, at most
 * {@link RunOptions#parallel()} at once; a failure skips its transitive dependents, independent jobs still run),
 * records everything in the JSONL logs, and tears the container down on every path. {@link #abort} may be called
 * from any thread (abort button, Ctrl-C, JVM shutdown); it stops the run through its one {@link Abort} token.
 */
public final class PipelineRunner {
    private final RunOptions options;
    private final List<LogListener> listeners;
    private final Abort abort = new Abort();
    /** The engine's connection, made while the pipeline compiles (set when the run starts). */
    private EarlyConnect<DockerEngine> early;

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
            log = options.logStore() != null ? RunLog.open(options.logStore().open(), redactor)
                    : RunLog.open(options.logsDir(), options.workspace(), List.of(), redactor);
        } catch (IOException e) {
            throw logsFolderError(e);
        }
        listeners.forEach(log::addListener);
        // while the pipeline compiles
        early = new EarlyConnect<>("quire-engine-connect", () -> {
            DockerEngine e = DockerEngine.connect(options.engine());
            if (options.execMode() == io.jenkins.plugins.quire.container.ExecMode.AGENT) DockerEngine.prepareAgentVolumeName();
            return e;
        });
        RunResult result = null;
        String reason = null;
        try (RunContext ctx = new RunContext(options, log, redactor, abort)) {
            result = loadAndRun(ctx, t0);
            return result;
        } catch (PipelineException | RunSetupException e) {
            reason = e.getMessage();
            throw e;
        } catch (RuntimeException | Error e) {
            reason = "internal error: " + e;
            throw e;
        } finally {
            try {
                Abort.Stop stop = abort.stop().orElse(null);
                RunStatus status = result != null ? result.status()
                        : stop != null && stop.kind() == Abort.Kind.ABORTED ? RunStatus.ABORTED : RunStatus.FAILURE;
                if (reason == null && status == RunStatus.ABORTED) reason = "aborted: " + stop.reason();
                if (reason == null && status == RunStatus.CONTAINER_DIED) reason = "container died: " + stop.reason();
                log.runEnd(status, elapsedMs(t0), reason);
            } finally {
                early.close();                              // not taken (the run never got to its container): closed
                log.close();
            }
        }
    }

    private RunResult loadAndRun(RunContext ctx, long t0) throws PipelineException, RunSetupException {
        String fileName = displayName(options.ciFile());
        try (LoadedPipeline pipeline = PipelineLoader.load(PipelineSource.read(options.ciFile(), fileName,
                options.workspace()), fileName,
                options.jobLimits())) {
            pipeline.setRedaction(ctx.redactor()::redact); // error objects are redacted before rendering, in every VM
            String image = resolveImage(pipeline.pipeline());
            try {
                // before the container starts: the folder may lie in the workspace, which the container can write
                ctx.log().declareJobs(jobIds(pipeline.pipeline()));
            } catch (IOException e) {
                throw logsFolderError(e);
            }
            ctx.log().pipeline(pipelineJobs(pipeline.pipeline()), options.parallel());
            return runWithLog(ctx, pipeline, image, t0);
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

    /**
     * Stops the run: every running sh is killed, every running job ends {@code aborted}, the jobs not started are
     * skipped. The first reason stands.
     */
    public void abort(String reason) {
        abort.trigger(Abort.Kind.ABORTED, reason == null ? "aborted" : reason);
    }

    /**
     * Loads the classes an abort needs. On an agent the engine's classes come from the controller one by one: once
     * the connection is lost none can be loaded, and the abort that the loss triggers must still run.
     */
    public static void loadAbortPath() {
        Abort a = new Abort();
        a.onStop(s -> { }).close();
        a.trigger(Abort.Kind.ABORTED, "loading the abort path");
        a.stop().ifPresent(Abort.Stop::jobReason);
        Abort.Kind.values();
    }

    public boolean aborted() {
        return abort.isAborted();
    }

    private String resolveImage(Pipeline p) throws RunSetupException {
        if (options.imageOverride() != null) return options.imageOverride();
        if (p.image().isPresent()) return p.image().get();
        if (options.defaultImage() != null) return options.defaultImage();
        throw new RunSetupException("no image to run the pipeline in: declare one with (ci.image \"name\") in "
                + options.ciFile().getFileName() + ", or pass one (--image on the command line, the build step's"
                + " image field, or the default image in the global Quire CI settings)", null);
    }

    private RunResult runWithLog(RunContext ctx, LoadedPipeline pipeline, String image, long t0)
            throws RunSetupException {
        List<JobOutcome> outcomes;
        RunStatus status;
        try (DockerEngine engine = connect()) {
            sweep(engine);
            RunContainer c = start(engine, image, pipeline.pipeline());
            try {
                ctx.log().containerStart(image, c.id());
                for (CacheMount m : c.cacheMounts()) ctx.log().cacheMount(m.path(), m.mountPoint(), m.volume(), m.created());
                ExecModeReport mode = c.execMode();
                ctx.log().execMode(mode.mode().label(), mode.reason());
                c.onExecModeChange(m -> {
                    try {
                        ctx.log().execMode(m.mode().label(), m.reason());
                    } catch (RuntimeException logClosed) {
                        // the run ended meanwhile: nothing runs in that mode any more
                    }
                });
                ctx.containerStarted(c);
                outcomes = runJobs(ctx, pipeline);
                status = statusOf(outcomes);
            } finally {
                ctx.tearingDown();
                c.close();
                ctx.log().containerEnd(!c.isRemoved() ? "not removed (the next run's sweep removes it)"
                        : deathReason() != null ? "died" : "removed");
            }
        }
        return new RunResult(status, outcomes, elapsedMs(t0), deathReason());
    }

    /** Why the container died, when that is what stopped the run; else null. */
    private String deathReason() {
        return abort.stop().filter(s -> s.kind() == Abort.Kind.CONTAINER_DIED).map(Abort.Stop::reason).orElse(null);
    }

    private void sweep(DockerEngine engine) throws RunSetupException {
        try {
            engine.sweepLeftovers(options.owner(), options.controller());
        } catch (EngineUnavailableException e) {
            throw new RunSetupException(e.getMessage(), e);
        }
    }

    private DockerEngine connect() throws RunSetupException {
        try {
            return early.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while waiting for Docker (version)", e);
        } catch (EngineUnavailableException e) {
            throw new RunSetupException(e.getMessage(), e);
        }
    }

    private RunContainer start(DockerEngine engine, String image, Pipeline p) throws RunSetupException {
        try {
            return engine.startRun(RunSpec.of(image, options.workspace(), options.runId(), options.owner())
                    .withController(options.controller()).withUser(options.execUser()).withMemoryBytes(options.memoryBytes())
                    .withJobScratch(jobIds(p)).withExecMode(options.execMode())
                    .withCaches(options.cacheOwner(), p.caches().stream().map(CacheDeclaration::path).toList()));
        } catch (ImageUnavailableException | EngineUnavailableException | WorkspaceNotVisibleException e) {
            throw new RunSetupException(e.getMessage(), e);
        } catch (ContainerException e) {
            throw new RunSetupException("could not start the run's container from image '" + image + "': "
                    + e.getMessage(), e);
        }
    }

    private RunStatus statusOf(List<JobOutcome> outcomes) {
        Abort.Stop stop = abort.stop().orElse(null);
        if (stop != null && stop.kind() == Abort.Kind.ABORTED) return RunStatus.ABORTED;
        if (stop != null) return RunStatus.CONTAINER_DIED;
        for (JobOutcome o : outcomes) if (o.state() == JobState.FAILED) return RunStatus.FAILURE;
        return RunStatus.SUCCESS;
    }

    private List<JobOutcome> runJobs(RunContext ctx, LoadedPipeline pipeline) {
        JobScheduler scheduler = new JobScheduler(pipeline.pipeline().jobs(), options.parallel(), abort);
        JobExecution jobs = new JobExecution(ctx, pipeline, scheduler.finished());
        return scheduler.run(jobs::run, jobs::skip);
    }

    private static long elapsedMs(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
