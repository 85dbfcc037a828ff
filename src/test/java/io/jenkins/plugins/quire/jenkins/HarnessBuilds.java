package io.jenkins.plugins.quire.jenkins;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static junit.framework.Assert.assertEquals;
import static junit.framework.Assert.assertTrue;
import static junit.framework.Assert.fail;

/** Why: the harness tests that watch a running build wait for its console and count its containers the same way. */
final class HarnessBuilds {
    private HarnessBuilds() { }

    /** The project's last build, once its console shows {@code text}; fails when it ends first or time runs out. */
    static FreeStyleBuild waitForLog(FreeStyleProject p, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            FreeStyleBuild b = p.getLastBuild();
            if (b != null && log(b).contains(text)) return b;
            if (b != null && !b.isBuilding()) fail("build ended before '" + text + "':\n" + log(b));
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' in the console within " + seconds + " s");
    }

    /** Ids of all containers (running or not) labelled with this owner. */
    static List<String> containers(String owner) throws Exception {
        Process proc = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=io.quire.owner=" + owner)
                .redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue("docker ps timed out", proc.waitFor(30, TimeUnit.SECONDS));
        assertEquals(out, 0, proc.exitValue());
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    private static String log(FreeStyleBuild b) throws Exception {
        return Files.readString(b.getLogFile().toPath(), StandardCharsets.UTF_8);
    }
}
