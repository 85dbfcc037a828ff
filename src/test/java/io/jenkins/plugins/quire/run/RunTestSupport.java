package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Docker from the host's point of view for run tests: make sure the engine is up, list and kill containers. */
final class RunTestSupport {
    private RunTestSupport() {}

    static synchronized void ensureDocker() {
        if (docker("info").isEmpty()) {
            Path script = Path.of(System.getProperty("quire.project.dir", "."), "scripts/ensure-docker.sh");
            List<String> out = exec(900, "bash", script.toString());
            if (docker("info").isEmpty()) fail("no Docker engine and " + script + " failed: " + out);
        }
    }

    /** Ids of all containers (running or not) labelled with this owner. */
    static List<String> containersOf(String owner) {
        List<String> out = docker("ps", "-aq", "--filter", "label=io.quire.owner=" + owner);
        out.removeIf(String::isBlank);
        return out;
    }

    /** Runs the docker CLI; its output lines, or an empty list when it failed. */
    static List<String> docker(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "docker";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return exec(60, cmd);
    }

    private static List<String> exec(long timeoutSeconds, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) return new ArrayList<>();
            return new ArrayList<>(Arrays.asList(out.split("\n")));
        } catch (IOException e) {
            return new ArrayList<>();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ArrayList<>();
        }
    }
}
