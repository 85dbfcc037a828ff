package io.jenkins.plugins.quire.container;

import java.nio.file.Path;

/**
 * Why: a separate JVM for {@link ShutdownTeardownIT}: starts a run container, prints its id, never closes it,
 * then either exits (argument "exit") or waits to be terminated (argument "wait").
 */
public final class ExitWithoutClosingMain {
    private ExitWithoutClosingMain() { }

    public static void main(String[] args) throws Exception {
        DockerEngine engine = DockerEngine.connect(EngineConfig.defaults());
        RunContainer c = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, Path.of(args[1]), "shutdown-1", args[0]));
        System.out.println("started " + c.id());
        System.out.flush();
        if (args[2].equals("exit")) System.exit(0);
        Thread.sleep(60_000);
    }
}
