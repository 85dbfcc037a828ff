package io.jenkins.plugins.quire.jenkins;

import hudson.FilePath;
import hudson.remoting.Channel;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.quire.container.EngineConfig;
import io.jenkins.plugins.quire.container.ExecMode;
import io.jenkins.plugins.quire.log.ConsoleFormatter;
import io.jenkins.plugins.quire.log.LogListener;
import io.jenkins.plugins.quire.log.Redactor;
import io.jenkins.plugins.quire.log.RunLog;
import io.jenkins.plugins.quire.log.RunStatus;
import io.jenkins.plugins.quire.log.StreamedLogStore;
import io.jenkins.plugins.quire.pipeline.PipelineException;
import io.jenkins.plugins.quire.run.MemoryLimit;
import io.jenkins.plugins.quire.run.ParallelJobs;
import io.jenkins.plugins.quire.run.PipelineRunner;
import io.jenkins.plugins.quire.run.RunOptions;
import io.jenkins.plugins.quire.run.RunResult;
import io.jenkins.plugins.quire.run.RunSetupException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Why: the engine runs on the node that holds the workspace (docs/agents.md). This callable is sent there
 * ({@code FilePath.actAsync}; for the built-in node it runs in the controller's JVM, the same code path): it checks
 * the pipeline file, reads, compiles, validates and runs it with Docker reached from that node, and sends the JSONL
 * logs ({@link StreamedLogStore}) and the console lines back through two remoting streams, redacted before they
 * leave. The secrets travel inside this object only, never on the node's disk. A lost connection to the controller
 * aborts the run (container removed); {@link AbortNodeRun} aborts it by its key.
 */
class NodeRun implements FilePath.FileCallable<RemoteOutcome> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(NodeRun.class.getName());
    static final String CONNECTION_LOST = "the connection to the controller was lost";

    private final String key;
    private final String displayName;
    private final String file;
    private final String image;
    private final String defaultImage;
    private final String logsDir;
    private final LinkedHashMap<String, String> secrets;
    private final int timeoutMinutes;
    private final String memory;
    private final String parallel;
    private final String exec;
    private final LinkedHashMap<String, String> environment;
    private final Owners owners;
    private final OutputStream logs;
    private final OutputStream console;

    /**
     * The callable to send: {@link NodeRunWithRoles} where the remoting role types exist (current Jenkins), else a
     * plain {@code NodeRun} (Hudson 1.395, where a class naming those types in a method could not be serialised).
     * The declared type is an interface, so loading this class never loads the subclass.
     */
    static FilePath.FileCallable<RemoteOutcome> create(String key, String displayName, QuireBuilder step,
            QuireBuilder.DescriptorImpl global, String logsDir, Map<String, String> environment, Owners owners,
            OutputStream logs, OutputStream console) {
        if (RemotingRoles.PRESENT) {
            return new NodeRunWithRoles(key, displayName, step, global, logsDir, environment, owners, logs, console);
        }
        return new NodeRun(key, displayName, step, global, logsDir, environment, owners, logs, console);
    }

    /**
     * Whose run it is, worked out on the controller: the containers' owner and controller labels, and the key of
     * the job's caches (docs/architecture.md).
     */
    record Owners(String owner, String controller, String cacheOwner) implements java.io.Serializable { }

    NodeRun(String key, String displayName, QuireBuilder step, QuireBuilder.DescriptorImpl global, String logsDir,
            Map<String, String> environment, Owners owners, OutputStream logs, OutputStream console) {
        this.key = key;
        this.displayName = displayName;
        this.file = step.getFile();
        this.image = step.getImage();
        this.defaultImage = global.getDefaultImage();
        this.logsDir = logsDir;
        this.secrets = new LinkedHashMap<>(BuildOptions.secrets(global.getGlobalSecrets(), step.getSecrets()));
        this.timeoutMinutes = step.getTimeout();
        this.memory = step.getMemory();
        this.parallel = step.getParallel();
        this.exec = step.getExec();
        this.environment = new LinkedHashMap<>(environment);
        this.owners = owners;
        this.logs = logs;
        this.console = console;
    }

    @Override
    public RemoteOutcome invoke(File wsFile, VirtualChannel channel) throws IOException, InterruptedException {
        PrintStream out = new PrintStream(console, false, StandardCharsets.UTF_8);
        QuireConsoleSink sink = new QuireConsoleSink(out);
        StreamedLogStore store = new StreamedLogStore(logs, Path.of(logsDir));
        try {
            return run(wsFile.toPath().toAbsolutePath().normalize(), store, sink);
        } finally {
            sink.flush();
            out.close();
            store.close(); // already closed by the run's log, unless it never opened
        }
    }

    private RemoteOutcome run(Path workspace, StreamedLogStore store, QuireConsoleSink sink)
            throws IOException, InterruptedException {
        Path ciFile = workspace.resolve(file).normalize();
        String refused = checkFile(workspace, ciFile);
        RunOptions options = null;
        if (refused == null) {
            try {
                options = RunOptions.builder(workspace)
                        .ciFile(Path.of(file))
                        .imageOverride(image)
                        .defaultImage(defaultImage)
                        .logsDir(Path.of(logsDir))
                        .logStore(() -> store)
                        .secrets(secrets)
                        .jobTimeout(Duration.ofMinutes(timeoutMinutes))
                        .memoryBytes(MemoryLimit.parse(memory, "The memory limit"))
                        .parallel(ParallelJobs.parse(parallel, "Parallel jobs"))
                        .execMode(ExecMode.parse(exec))
                        .environment(environment)
                        .owner(owners.owner())
                        .controller(owners.controller())
                        .cacheOwner(owners.cacheOwner())
                        .engine(EngineConfig.fromEnvironment(environment)) // this node's: DOCKER_HOST, else its socket
                        .build();
            } catch (IllegalArgumentException e) {
                refused = e.getMessage(); // a setting the engine refuses, such as DOCKER_HOST 'garbage://x'
            }
        }
        if (refused != null) {
            try (RunLog log = RunLog.open(store, new Redactor())) {
                log.runEnd(RunStatus.FAILURE, 0, refused); // the Quire CI page says why too
            }
            return RemoteOutcome.of(RemoteOutcome.Kind.REFUSED, refused);
        }
        List<LogListener> listeners = List.of(new ConsoleFormatter(sink));
        PipelineRunner runner = new PipelineRunner(options, listeners);
        AbortableRun run = new AbortableRun(runner, "Quire CI " + displayName);
        Channel ch = Channel.current(); // null in the controller's own JVM
        // what the abort needs is loaded now: once the connection is lost, no class can come from the controller
        PipelineRunner.loadAbortPath();
        Channel.Listener lost = new Channel.Listener() {
            @Override
            public void onClosed(Channel c, IOException cause) {
                // never on the channel's reader thread: it holds the channel's lock, which the run's log streams
                // and the remote class loader wait for (a deadlock, with the container left running)
                Thread t = new Thread(() -> runner.abort(CONNECTION_LOST), "quire-connection-lost");
                t.setDaemon(true);
                t.start();
            }
        };
        if (ch != null) ch.addListener(lost);
        NodeRuns.add(key, runner);
        try {
            RunResult result = run.run(BuildRun.ABORT_REASON);
            if (result.status() == RunStatus.ABORTED) return RemoteOutcome.aborted(true);
            return RemoteOutcome.ran(result.status(), result.containerDeathReason());
        } catch (InterruptedException e) {
            return RemoteOutcome.aborted(run.cleanupFinished());
        } catch (PipelineException e) {
            return RemoteOutcome.of(RemoteOutcome.Kind.INVALID, e.getMessage());
        } catch (RunSetupException e) {
            return RemoteOutcome.of(RemoteOutcome.Kind.SETUP_FAILED, e.getMessage());
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Quire CI: internal error in " + displayName, e);
            return RemoteOutcome.of(RemoteOutcome.Kind.INTERNAL, "internal error: " + e
                    + " (details in the log of the node that ran it)");
        } finally {
            NodeRuns.remove(key);
            if (ch != null) ch.removeListener(lost);
        }
    }

    /** Why the pipeline file cannot be run, or null. */
    private String checkFile(Path workspace, Path ciFile) throws IOException {
        if (!Files.exists(ciFile)) {
            return "pipeline file " + file + " not found in the workspace (looked for " + ciFile + ")";
        }
        if (!Files.isRegularFile(ciFile)) {
            return "pipeline file " + file + " is not a regular file (a folder, a FIFO or a device?): " + ciFile;
        }
        if (!ciFile.toRealPath().startsWith(workspace.toRealPath())) {
            return "pipeline file " + file + " is a link to a file outside the workspace";
        }
        return null;
    }
}
