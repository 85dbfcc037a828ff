package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.DockerEngine;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.container.ExecMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JVM that shuts down under a running pipeline (Hudson stopping: no signal handler of the run's own, only the
 * shutdown hook) aborts the run before its container is removed: the running job ends {@code aborted}, the pending
 * one {@code skipped}, {@code sh-exit} carries the signal, no container death is recorded and no container is left.
 * Both exec modes: the abort kills the running {@code sh} through the agent or through a killer exec.
 */
class ShutdownAbortIT {
    private static final String OWNER = DockerTestSupport.owner(ShutdownAbortIT.class);
    private static DockerEngine engine;

    @TempDir Path ws;

    @BeforeAll
    static void docker() {
        engine = DockerTestSupport.engine();
    }

    @AfterAll
    static void noOrphans() {
        try {
            engine.sweepLeftovers(OWNER);   // only matters when the test failed
        } finally {
            engine.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void jvmShutdownDuringShAbortsTheRunThenRemovesItsContainer(ExecMode mode) throws Exception {
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), AbortedRunLog.PIPELINE);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RunUntilShutdownMain.class.getName(), ws.toString(), OWNER,
                mode.label())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        StringBuilder out = AbortedRunLog.awaitLine(p, "long  | started");
        p.destroy();   // SIGTERM: the JVM's shutdown hook is all that ends the run
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM ended");
        String console;
        synchronized (out) {
            console = out.toString();
        }
        AbortedRunLog.assertAborted(ws.resolve("logs"), console);
        RunExecMode.assertRanIn(ws.resolve("logs"), mode);
        assertEquals(List.of(), engine.containersOf(OWNER), "no container left");
    }
}
