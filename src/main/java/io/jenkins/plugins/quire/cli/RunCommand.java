package io.jenkins.plugins.quire.cli;

import io.jenkins.plugins.quire.container.EngineConfig;
import io.jenkins.plugins.quire.container.ExecMode;
import io.jenkins.plugins.quire.log.AppendableConsoleSink;
import io.jenkins.plugins.quire.log.ConsoleFormatter;
import io.jenkins.plugins.quire.log.LogListener;
import io.jenkins.plugins.quire.log.RunStatus;
import io.jenkins.plugins.quire.pipeline.PipelineException;
import io.jenkins.plugins.quire.run.MemoryLimit;
import io.jenkins.plugins.quire.run.ParallelJobs;
import io.jenkins.plugins.quire.run.PipelineRunner;
import io.jenkins.plugins.quire.run.RunOptions;
import io.jenkins.plugins.quire.run.RunResult;
import io.jenkins.plugins.quire.run.RunSetupException;
import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code quire-ci run}: runs the pipeline in one Docker container, printing the human-readable log while writing
 * the JSONL logs. Exit 0 when no job failed, 1 when a job failed or the container died, 2 when the pipeline is
 * invalid or the run could not start, 130 when interrupted (SIGINT/SIGTERM) after cleaning up.
 */
final class RunCommand implements Command {
    /** Exit code after SIGINT/SIGTERM (128 + SIGINT), once the container is removed and the logs closed. */
    static final int INTERRUPTED = 130;

    private final Map<String, String> environment;

    RunCommand() {
        this(System.getenv());
    }

    RunCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String usage() {
        return "  run [--workspace DIR] [--file PATH] [--image IMG] [--logs DIR] [--secret NAME=ENV_VAR]...\n"
                + "      [--timeout SECONDS] [--memory SIZE] [--parallel N] [--exec agent|docker]\n"
                + "               run the pipeline in one Docker container (every sh is a docker exec into it)\n"
                + "               --workspace DIR        mounted at /work (default: the current directory)\n"
                + "               --file PATH            the pipeline, relative to the workspace (default "
                + Main.DEFAULT_FILE + ")\n"
                + "               --image IMG            overrides (ci.image ...)\n"
                + "               --logs DIR             JSONL logs (default <workspace>/.quire/logs/<run-id>)\n"
                + "               --secret NAME=ENV_VAR  declare secret NAME with the value of ENV_VAR (repeatable)\n"
                + "               --timeout SECONDS      wall-clock limit per job (default 3600)\n"
                + "               --memory SIZE          memory limit of the run's container, e.g. 512m or 2g\n"
                + "                                      (default none; a command the kernel kills for memory\n"
                + "                                      is reported as out of memory)\n"
                + "               --parallel N           at most N jobs run at once (default "
                + RunOptions.DEFAULT_PARALLEL + "; 1 runs them one at\n"
                + "                                      a time in registration order)\n"
                + "               --exec agent|docker    how each sh reaches the container: the resident exec agent\n"
                + "                                      (default; plain docker exec when it cannot run) or\n"
                + "                                      always a plain docker exec\n"
                + "               the Docker engine: DOCKER_HOST if set, else unix:///var/run/docker.sock\n"
                + "               exit 0: no job failed; 1: a job failed or the container died; 2: invalid\n"
                + "               pipeline, no Docker engine or missing image; 130: interrupted\n";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        ParsedArgs parsed = ParsedArgs.parse(name(), args,
                Set.of("--workspace", "--file", "--image", "--logs", "--secret", "--timeout", "--memory",
                        "--parallel", "--exec"),
                Set.of("--secret"));
        if (parsed.help()) return Usage.printFor(this, out);
        Path workspace = Path.of(parsed.value("--workspace", ".")).toAbsolutePath().normalize();
        if (!Files.isDirectory(workspace)) {
            err.println("quire-ci: --workspace " + workspace + " is not a directory");
            return ExitCodes.INVALID;
        }
        RunOptions.Builder options = RunOptions.builder(workspace)
                .ciFile(Path.of(parsed.value("--file", Main.DEFAULT_FILE)))
                .imageOverride(parsed.value("--image", null))
                .environment(environment);
        try {
            options.engine(EngineConfig.fromEnvironment(environment));
        } catch (IllegalArgumentException e) {          // a DOCKER_HOST the engine client cannot use
            err.println("quire-ci: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        String logs = parsed.value("--logs", null);
        if (logs != null) options.logsDir(Path.of(logs));
        for (String spec : parsed.values("--secret")) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new UsageException("--secret " + spec + ": expected NAME=ENV_VAR");
            }
            String var = spec.substring(eq + 1);
            String value = environment.get(var);
            if (value == null) {
                err.println("quire-ci: --secret " + spec + ": environment variable " + var + " is not set");
                return ExitCodes.INVALID;
            }
            options.secret(spec.substring(0, eq), value);
        }
        String timeout = parsed.value("--timeout", null);
        if (timeout != null) options.jobTimeout(Duration.ofMillis(seconds(timeout)));
        String memory = parsed.value("--memory", null);
        if (memory != null) {
            String error = MemoryLimit.check(memory, "--memory");
            if (error != null) throw new UsageException(error);
            options.memoryBytes(MemoryLimit.parse(memory, "--memory"));
        }
        String parallel = parsed.value("--parallel", null);
        if (parallel != null) {
            String error = ParallelJobs.check(parallel, "--parallel");
            if (error != null) throw new UsageException(error);
            options.parallel(ParallelJobs.parse(parallel, "--parallel"));
        }
        String exec = parsed.value("--exec", null);
        if (exec != null) {
            try {
                options.execMode(ExecMode.parse(exec));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--exec '" + exec + "' is not an exec mode: use agent or docker");
            }
        }
        RunOptions built = options.build();
        // The console is written per event, not per line: one flush after each event keeps it live while a command
        // printing millions of lines does not cost a write system call per line.
        PrintStream console = new PrintStream(new BufferedOutputStream(out, 1 << 16), false, StandardCharsets.UTF_8);
        LogListener flushAfterEachEvent = (job, event) -> console.flush();
        PipelineRunner runner = new PipelineRunner(built,
                List.of(new ConsoleFormatter(new AppendableConsoleSink(console)), flushAfterEachEvent));
        try (InterruptHandler ignored = InterruptHandler.install(runner)) {
            RunResult result = runner.run();
            console.flush();
            out.println("Logs: " + built.logsDir());
            return exitCode(result.status());
        } catch (PipelineException e) {
            console.flush();
            err.println(e.getMessage());
            return ExitCodes.INVALID;
        } catch (RunSetupException e) {
            console.flush();
            err.println("quire-ci: " + e.getMessage());
            return ExitCodes.INVALID;
        }
    }

    static int exitCode(RunStatus status) {
        switch (status) {
            case SUCCESS: return ExitCodes.OK;
            case ABORTED: return INTERRUPTED;
            default: return ExitCodes.FAILED;
        }
    }

    private static long seconds(String s) throws UsageException {
        try {
            double d = Double.parseDouble(s);
            if (!(d > 0) || Double.isInfinite(d)) throw new NumberFormatException();
            if (d * 1000 > RunOptions.MAX_JOB_TIMEOUT.toMillis()) {
                throw new UsageException("--timeout " + s + ": at most " + RunOptions.MAX_JOB_TIMEOUT.toSeconds()
                        + " seconds (one week)");
            }
            return Math.max(1, Math.round(d * 1000));
        } catch (NumberFormatException e) {
            throw new UsageException("--timeout " + s + ": expected a positive number of seconds");
        }
    }
}
