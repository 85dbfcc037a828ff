package io.jenkins.plugins.quire.run;

import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.container.ExecMode;
import io.jenkins.plugins.quire.log.AppendableConsoleSink;
import io.jenkins.plugins.quire.log.ConsoleFormatter;
import java.nio.file.Path;
import java.util.List;

/**
 * Why: a separate JVM for {@link ShutdownAbortIT}: runs the pipeline of its workspace (args: workspace, owner, exec mode) the
 * way Hudson does, without a signal handler of its own, printing the console to stdout; a SIGTERM then ends it
 * through the JVM's shutdown hook only.
 */
public final class RunUntilShutdownMain {
    private RunUntilShutdownMain() {}

    public static void main(String[] args) throws Exception {
        Path ws = Path.of(args[0]);
        RunOptions options = RunOptions.builder(ws).imageOverride(DockerTestSupport.BUSYBOX).owner(args[1])
                .logsDir(ws.resolve("logs")).execMode(ExecMode.parse(args[2])).build();
        new PipelineRunner(options, List.of(new ConsoleFormatter(new AppendableConsoleSink(System.out)),
                (job, event) -> System.out.flush())).run();
    }
}
