package io.jenkins.plugins.quire.jenkins;

import hudson.FilePath;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import io.jenkins.plugins.quire.log.ConsoleFormatter;
import io.jenkins.plugins.quire.log.ConsoleSink;
import io.jenkins.plugins.quire.log.LineKind;
import io.jenkins.plugins.quire.log.LogListener;
import io.jenkins.plugins.quire.log.Redactor;
import io.jenkins.plugins.quire.log.RunLog;
import io.jenkins.plugins.quire.log.RunStatus;
import io.jenkins.plugins.quire.pipeline.PipelineException;
import io.jenkins.plugins.quire.run.PipelineRunner;
import io.jenkins.plugins.quire.run.RunOptions;
import io.jenkins.plugins.quire.run.RunResult;
import io.jenkins.plugins.quire.run.RunSetupException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One execution of the "Run Quire CI pipeline" step inside a build: checks the workspace and the pipeline file,
 * maps the build to {@link RunOptions} ({@link BuildOptions}), runs the engine with the human-readable log streamed
 * into the build console ({@link QuireConsoleSink}), and turns the outcome into the build result (docs/language.md):
 * {@code true} = SUCCESS; {@code false} = FAILURE (a job failed, the container died, the pipeline is invalid or could
 * not start, every diagnostic printed); {@link InterruptedException} after a clean abort = ABORTED.
 */
final class BuildRun {
    static final String ABORT_REASON = "build aborted in Hudson";

    private final QuireBuilder step;
    private static final Logger LOGGER = Logger.getLogger(BuildRun.class.getName());

    private final QuireBuilder.DescriptorImpl global;
    private final AbstractBuild<?, ?> build;
    private final BuildListener listener;
    private final ConsoleSink console;

    BuildRun(QuireBuilder step, QuireBuilder.DescriptorImpl global, AbstractBuild<?, ?> build, BuildListener listener) {
        this.step = step;
        this.global = global;
        this.build = build;
        this.listener = listener;
        this.console = new QuireConsoleSink(listener.getLogger());
    }

    boolean perform() throws InterruptedException, IOException {
        QuireRunAction.attachTo(build);
        FilePath ws = build.getWorkspace();
        if (ws == null) return failBeforeRun("the build has no workspace");
        if (ws.isRemote()) {
            return failBeforeRun("the workspace " + ws.getRemote() + " is on an agent; Quire CI runs pipelines on the"
                    + " built-in node only for now (restrict this job to the master node)");
        }
        String fileError = FormChecks.file(step.getFile());
        if (fileError != null) return failBeforeRun("pipeline file setting '" + step.getFile() + "': " + fileError);
        String memoryError = FormChecks.memory(step.getMemory());
        if (memoryError != null) return failBeforeRun("memory limit setting: " + memoryError);
        String parallelError = FormChecks.parallel(step.getParallel());
        if (parallelError != null) return failBeforeRun("parallel jobs setting: " + parallelError);
        String execError = FormChecks.exec(step.getExec());
        if (execError != null) return failBeforeRun("exec mode setting: " + execError);
        Path workspace = Path.of(ws.getRemote()).toAbsolutePath().normalize();
        Path ciFile = workspace.resolve(step.getFile()).normalize();
        if (!Files.exists(ciFile)) {
            return failBeforeRun("pipeline file " + step.getFile() + " not found in the workspace (looked for "
                    + ciFile + ")");
        }
        if (!Files.isRegularFile(ciFile)) {
            return failBeforeRun("pipeline file " + step.getFile() + " is not a regular file (a folder, a FIFO or a"
                    + " device?): " + ciFile);
        }
        if (!ciFile.toRealPath().startsWith(workspace.toRealPath())) {
            return failBeforeRun("pipeline file " + step.getFile() + " is a link to a file outside the workspace");
        }
        File logs = BuildOptions.logsDir(build);
        if (!logs.isDirectory() && !logs.mkdirs()) return fail("cannot create the logs folder " + logs);
        RunOptions options;
        try {
            options = BuildOptions.map(step, global, build, listener, workspace);
        } catch (IllegalArgumentException e) {
            // a setting the engine refuses, such as DOCKER_HOST 'garbage://x': its message names it
            return failBeforeRun(e.getMessage());
        }
        List<LogListener> listeners = List.of(new ConsoleFormatter(console));
        PipelineRunner runner = new PipelineRunner(options, listeners);
        AbortableRun run = new AbortableRun(runner, "Quire CI " + build.getFullDisplayName());
        RunResult result;
        try {
            result = run.run(ABORT_REASON);
        } catch (InterruptedException e) {
            if (!run.cleanupFinished()) {
                console.line(LineKind.ERROR, "Quire CI: the aborted run did not finish its cleanup within "
                        + AbortableRun.CLEANUP_WAIT_MS / 1000 + " s; its container is removed at the next run");
            }
            throw e;
        } catch (PipelineException e) {
            // exactly what the CLI prints: the "<file> has errors" header, then every located diagnostic
            for (String line : e.getMessage().split("\r?\n")) console.line(LineKind.ERROR, line);
            return false;
        } catch (RunSetupException e) {
            return fail(e.getMessage());
        } catch (RuntimeException e) {
            // the user sees one line; the stack trace goes to the Jenkins system log for a bug report
            LOGGER.log(Level.WARNING, "Quire CI: internal error in " + build.getFullDisplayName(), e);
            console.line(LineKind.ERROR, "Quire CI: internal error: " + e + " (details in the Jenkins system log)");
            return false;
        }
        return outcome(result);
    }

    private boolean outcome(RunResult result) throws InterruptedException {
        RunStatus status = result.status();
        switch (status) {
            case SUCCESS:
                return true;
            case ABORTED:
                // only our own abort sets this, and that path throws above; treat a stray one as an abort too
                throw new InterruptedException(ABORT_REASON);
            case CONTAINER_DIED:
                console.line(LineKind.ERROR, "Quire CI: the container died: " + result.containerDeathReason());
                return false;
            default:
                return false;
        }
    }

    /**
     * A failure before the engine ran: the run log gets a {@code run-end} with the reason too, so the Quire CI page
     * says why (the engine writes its own for every later failure).
     */
    private boolean failBeforeRun(String message) {
        try (RunLog log = RunLog.open(BuildOptions.logsDir(build).toPath(), new Redactor())) {
            log.runEnd(RunStatus.FAILURE, 0, message);
        } catch (IOException | RuntimeException e) {
            console.line(LineKind.ERROR, "Quire CI: cannot write the run log: " + e.getMessage());
        }
        return fail(message);
    }

    private boolean fail(String message) {
        console.line(LineKind.ERROR, "Quire CI: " + message);
        return false;
    }
}
