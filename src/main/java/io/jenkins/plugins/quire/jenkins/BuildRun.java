package io.jenkins.plugins.quire.jenkins;

import hudson.FilePath;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.remoting.ChannelClosedException;
import hudson.remoting.Future;
import hudson.remoting.RequestAbortedException;
import hudson.remoting.RemoteOutputStream;
import io.jenkins.plugins.quire.log.ConsoleSink;
import io.jenkins.plugins.quire.log.IoErrors;
import io.jenkins.plugins.quire.log.LineKind;
import io.jenkins.plugins.quire.log.LogStreamReceiver;
import io.jenkins.plugins.quire.log.Redactor;
import io.jenkins.plugins.quire.log.RunLog;
import io.jenkins.plugins.quire.log.RunStatus;
import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One execution of the "Run Quire CI pipeline" step inside a build: checks the settings, sends the run to the node
 * that holds the workspace ({@link NodeRun}, the same path for the built-in node; docs/agents.md), receives its
 * JSONL logs into the build's {@code quire/} folder ({@link LogStreamReceiver}) and its console lines into the build
 * console while it runs, and turns the outcome into the build result (docs/language.md): {@code true} = SUCCESS;
 * {@code false} = FAILURE (a job failed, the container died, the pipeline is invalid or could not start, the node's
 * connection was lost; every reason printed); {@link InterruptedException} after a clean abort = ABORTED.
 */
final class BuildRun {
    static final String ABORT_REASON = "build aborted in Hudson";
    /** How long the build waits for the last log bytes of a run that has returned. */
    private static final long DRAIN_MS = 10_000;

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
        String fileError = FormChecks.file(step.getFile());
        if (fileError != null) return failBeforeRun("pipeline file setting '" + step.getFile() + "': " + fileError);
        String memoryError = FormChecks.memory(step.getMemory());
        if (memoryError != null) return failBeforeRun("memory limit setting: " + memoryError);
        String parallelError = FormChecks.parallel(step.getParallel());
        if (parallelError != null) return failBeforeRun("parallel jobs setting: " + parallelError);
        String execError = FormChecks.exec(step.getExec());
        if (execError != null) return failBeforeRun("exec mode setting: " + execError);
        if (ws.isRemote()) {
            String javaProblem = nodeJavaProblem();
            if (javaProblem != null) return failBeforeRun(javaProblem);
        }
        File logs = BuildOptions.logsDir(build);
        if (!logs.isDirectory() && !logs.mkdirs()) return fail("cannot create the logs folder " + logs);
        Map<String, String> environment = BuildOptions.environment(build, listener); // the node's, computed here
        String dockerHost = environment.get("DOCKER_HOST");
        QuireRunAction.attachTo(build).recordEngine(dockerHost == null || dockerHost.isBlank() ? null : dockerHost);
        LogStreamReceiver receiver;
        try {
            receiver = LogStreamReceiver.open(logs.toPath().toAbsolutePath());
        } catch (IOException e) {
            return fail("cannot write the logs folder " + logs + ": " + IoErrors.describe(e));
        }
        String key = UUID.randomUUID().toString();
        ConsoleRelay relay = new ConsoleRelay(listener.getLogger());
        FilePath.FileCallable<RemoteOutcome> call = NodeRun.create(key, build.getFullDisplayName(), step, global, logs.getAbsolutePath(),
                environment, new NodeRun.Owners(BuildOptions.owner(), ControllerId.current(),
                        BuildOptions.cacheOwner(build.getProject().getFullName())),
                new RemoteOutputStream(receiver), new RemoteOutputStream(relay));
        String node = ws.isRemote() ? "agent '" + nodeName() + "'" : "the built-in node";
        RemoteOutcome outcome;
        try {
            if (ws.isRemote()) EnginePreload.to(ws.getChannel());
            outcome = await(ws, ws.actAsync(call), key, receiver, relay);
            drain(receiver, relay);
        } catch (InterruptedException e) {
            finish(receiver, RunStatus.ABORTED, "aborted: " + ABORT_REASON);
            throw e;
        } catch (ExecutionException | IOException e) {
            String why;
            if (connectionLost(e)) {
                why = "the connection to " + node + " was lost during the run (" + rootMessage(e)
                        + "); the logs received until then are kept";
            } else {
                // the user sees one line; the stack trace goes to the Jenkins system log for a bug report
                LOGGER.log(Level.WARNING, "Quire CI: the run on " + node + " failed in " + build.getFullDisplayName(), e);
                why = "the run on " + node + " failed: " + rootMessage(e) + " (details in the Jenkins system log)";
            }
            finish(receiver, RunStatus.FAILURE, why);
            return fail(why);
        } catch (RuntimeException e) {
            // a cancelled call, a remoting failure of another kind: the logs are closed and say why all the same
            LOGGER.log(Level.WARNING, "Quire CI: the run on " + node + " failed in " + build.getFullDisplayName(), e);
            String why = "the run on " + node + " failed: " + rootMessage(e) + " (details in the Jenkins system log)";
            finish(receiver, RunStatus.FAILURE, why);
            return fail(why);
        }
        finish(receiver, RunStatus.FAILURE, "the run on " + node + " ended without closing its logs");
        return outcome(outcome);
    }

    /**
     * Waits for the run on the node. An interrupt (the abort button) aborts it there ({@link AbortNodeRun}) and
     * waits for its cleanup (running sh killed, container removed, logs closed) before the build ends.
     */
    private RemoteOutcome await(FilePath ws, Future<RemoteOutcome> running, String key, LogStreamReceiver receiver,
            ConsoleRelay relay) throws InterruptedException, ExecutionException, IOException {
        try {
            return running.get();
        } catch (InterruptedException e) {
            try {
                ws.act(AbortNodeRun.create(key, ABORT_REASON));
            } catch (IOException | RuntimeException | InterruptedException notSent) {
                LOGGER.log(Level.WARNING, "Quire CI: could not send the abort to the node", notSent);
            }
            boolean finished = awaitCleanup(running);
            if (finished) drain(receiver, relay);
            if (!finished) {
                console.line(LineKind.ERROR, "Quire CI: the aborted run did not finish its cleanup within "
                        + AbortableRun.CLEANUP_WAIT_MS / 1000 + " s; its container is removed at the next run");
            }
            InterruptedException aborted = new InterruptedException(ABORT_REASON);
            aborted.initCause(e);
            throw aborted;
        }
    }

    /** Waits for the aborted run, ignoring further interrupts (a second click on abort), up to the cleanup limit. */
    private static boolean awaitCleanup(Future<RemoteOutcome> running) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AbortableRun.CLEANUP_WAIT_MS);
        boolean interrupted = false;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                try {
                    RemoteOutcome o = running.get(left, TimeUnit.NANOSECONDS);
                    return o == null || o.cleanupFinished;
                } catch (InterruptedException again) {
                    interrupted = true; // keep waiting: the build must not end before the container is gone
                } catch (ExecutionException | TimeoutException | RuntimeException gone) {
                    return gone instanceof ExecutionException; // the node went away: nothing more to wait for
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Lets the streams' last bytes arrive (they trail the call's return over a channel); bounded. */
    private static void drain(LogStreamReceiver receiver, ConsoleRelay relay) {
        boolean interrupted = Thread.interrupted();
        try {
            receiver.awaitSenderClosed(DRAIN_MS);
            relay.awaitClosed(DRAIN_MS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * The agent's Java, asked through Hudson's own call (which any agent JVM can load), before any class of the
     * engine is sent there: an older JVM would fail to load them with a bare UnsupportedClassVersionError.
     */
    private String nodeJavaProblem() throws IOException, InterruptedException {
        hudson.model.Node n = build.getBuiltOn();
        hudson.model.Computer c = n == null ? null : n.toComputer();
        if (c == null) return null;     // the run itself reports a node that went away
        Object version = c.getSystemProperties().get("java.specification.version");
        return version == null ? null : NodeJavaCheck.problem(nodeName(), version.toString());
    }

    private String nodeName() {
        hudson.model.Node n = build.getBuiltOn();
        return n == null ? "?" : n.getNodeName();
    }

    /** Whether {@code e} says the node's channel went away (rather than the call itself failing). */
    private static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RequestAbortedException || t instanceof ChannelClosedException
                    || t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Closes the received logs; a run log without run-end gets one with {@code reason}. */
    private void finish(LogStreamReceiver receiver, RunStatus status, String reason) {
        try {
            receiver.finish(status, reason);
        } catch (IOException | RuntimeException e) {
            console.line(LineKind.ERROR, "Quire CI: cannot close the logs in " + receiver.directory() + ": "
                    + e.getMessage());
        }
    }

    private boolean outcome(RemoteOutcome o) throws InterruptedException {
        switch (o.kind) {
            case RAN:
                return outcome(o.status, o.message);
            case REFUSED:
            case SETUP_FAILED:
            case INTERNAL:
                return fail(o.message);
            case INVALID:
                // exactly what the CLI prints: the "<file> has errors" header, then every located diagnostic
                for (String line : o.message.split("\r?\n")) console.line(LineKind.ERROR, line);
                return false;
            case ABORTED:
            default:
                if (!o.cleanupFinished) {
                    console.line(LineKind.ERROR, "Quire CI: the aborted run did not finish its cleanup within "
                            + AbortableRun.CLEANUP_WAIT_MS / 1000 + " s; its container is removed at the next run");
                }
                throw new InterruptedException(ABORT_REASON);
        }
    }

    private boolean outcome(RunStatus status, String containerDeathReason) throws InterruptedException {
        switch (status) {
            case SUCCESS:
                return true;
            case ABORTED:
                // only our own abort sets this, and that path throws above; treat a stray one as an abort too
                throw new InterruptedException(ABORT_REASON);
            case CONTAINER_DIED:
                console.line(LineKind.ERROR, "Quire CI: the container died: " + containerDeathReason);
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
