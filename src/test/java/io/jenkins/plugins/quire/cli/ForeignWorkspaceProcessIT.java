package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.DockerEngineExtension;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.container.EngineConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quire-ci run} as a node that is a container of the engine's host would run it: the process lives in a mount
 * namespace of its own (unshare) where the workspace path is a tmpfs holding the pipeline, while dockerd, outside,
 * finds the host's directory of the same path, holding other files. The run must not start: exit 2 with the message
 * that the engine does not see the workspace, the job never runs, and no marker stays in either directory (the
 * extension checks that no container of the command line is left).
 */
class ForeignWorkspaceProcessIT {
    @TempDir Path host;
    @TempDir Path logs;

    @RegisterExtension
    static final DockerEngineExtension DOCKER = new DockerEngineExtension("cli");

    @Test
    void aRunWhoseEngineSeesAnotherDirectoryAtTheWorkspacePathFailsSayingSo() throws Exception {
        Files.writeString(host.resolve("host-only.txt"), "what the engine's machine has at this path\n");
        Path ci = logs.resolve("ci.fnl");
        Files.writeString(ci, String.join("\n",
                "(local ci (require :quire.ci))",
                "(ci.job :build [:quire/push] (fn [{: sh}] (sh \"touch /work/built\") {}))"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // $1 workspace, $2 ci.fnl, $3 logs, $4 java, $5 class path, $6 main class, $7 image
        String script = "mount -t tmpfs quire-node-ws \"$1\" || exit 90\n"
                + "mkdir \"$1/.quire\" && cp \"$2\" \"$1/.quire/ci.fnl\" || exit 91\n"
                + "\"$4\" -cp \"$5\" \"$6\" run --workspace \"$1\" --logs \"$3/run\" --image \"$7\" --exec docker\n"
                + "echo \"exit=$?\"\n"
                + "echo \"node sees: $(ls -A \"$1\" | tr '\\n' ' ')\"\n";
        List<String> cmd = List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", script, "node",
                host.toString(), ci.toString(), logs.toString(), java, System.getProperty("java.class.path"),
                Main.class.getName(), DockerTestSupport.BUSYBOX);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the run in its own mount namespace finished");
        assertEquals(0, p.exitValue(), out);

        assertTrue(out.contains("exit=2\n"), "exit code 2 (the engine could not start the run): " + out);
        String why = "the Docker engine at " + EngineConfig.DEFAULT_HOST + " does not see the workspace " + host
                + ": a file written there was not found in /work inside the container (/work holds other files)."
                + " The engine bind-mounts paths of the machine it runs on";
        assertTrue(out.contains(why), out);
        assertFalse(out.contains("could not start the run's container"), "the message is given as is: " + out);
        assertTrue(out.contains("node sees: .quire \n"), "no marker stays in the node's workspace: " + out);
        assertTrue(Files.readString(logs.resolve("run/log.jsonl")).contains(why.replace("\"", "\\\"")),
                "the run log's run-end gives the reason");
        try (var s = Files.list(host)) {
            assertEquals(List.of("host-only.txt"), s.map(f -> f.getFileName().toString()).toList(),
                    "the job never ran, and no marker was left on the engine's side");
        }
    }
}
