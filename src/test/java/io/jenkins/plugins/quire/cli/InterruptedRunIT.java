package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.DockerEngineExtension;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.run.AbortedRunLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quire-ci run} as a real process, interrupted (Ctrl-C, SIGTERM) while an {@code sh} runs: exit 130, the
 * running job ends {@code aborted}, the pending one {@code skipped}, {@code sh-exit} carries the signal, and the
 * abort is never recorded as a container death.
 */
class InterruptedRunIT {
    @TempDir Path ws;

    @RegisterExtension
    static final DockerEngineExtension DOCKER = new DockerEngineExtension("cli");

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalDuringShIsRecordedAsAnAbort(String signal) throws Exception {
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), AbortedRunLog.PIPELINE);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--workspace", ws.toString(),
                "--image", DockerTestSupport.BUSYBOX, "--logs", "logs").redirectErrorStream(true).start();
        p.getOutputStream().close();
        StringBuilder out = AbortedRunLog.awaitLine(p, "long  | started");
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exited after SIG" + signal);
        String console;
        synchronized (out) {
            console = out.toString();
        }
        assertEquals(130, p.exitValue(), console);
        AbortedRunLog.assertAborted(ws.resolve("logs"), console);
        assertEquals(List.of(), DOCKER.engine().containersOf("cli"));
    }
}
