package io.jenkins.plugins.quire.jenkins;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static junit.framework.Assert.assertEquals;
import static junit.framework.Assert.assertNotNull;
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

    /**
     * Starts a build of {@code p}, whose job {@code slow} prints "sleeping" and sleeps and whose job {@code after}
     * depends on it, and presses stop (as {@code Executor.doStop} does) once it sleeps: the build must end ABORTED
     * within 5 s, with the sh killed, the dependent job skipped, the container removed and the run log closed
     * {@code aborted} for the build's reason.
     * @return the aborted build
     */
    static FreeStyleBuild abortWhileSleeping(FreeStyleProject p, String owner) throws Exception {
        java.util.concurrent.Future<FreeStyleBuild> f = p.scheduleBuild2(0);
        FreeStyleBuild b = waitForLog(p, "sleeping", 120);
        assertEquals("the run's container is up", 1, containers(owner).size());
        hudson.model.Executor executor = b.getExecutor();
        assertNotNull(executor);
        long t0 = System.nanoTime();
        executor.interrupt(); // what the abort button (Executor.doStop) does
        f.get(30, TimeUnit.SECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(log(b), hudson.model.Result.ABORTED, b.getResult());
        assertTrue("build ended " + ms + " ms after the abort", ms < 5000);
        assertEquals("no container left for " + owner, List.of(), containers(owner));
        String runLog = Files.readString(b.getArtifactsDir().toPath().resolve("quire/log.jsonl")).strip();
        String last = runLog.substring(runLog.lastIndexOf('\n') + 1);
        assertTrue(last, last.contains("\"kind\":\"run-end\"") && last.contains("\"status\":\"aborted\""));
        assertTrue(last, last.contains(BuildRun.ABORT_REASON));
        String jobLog = Files.readString(b.getArtifactsDir().toPath().resolve("quire/jobs/slow/log.jsonl"));
        assertTrue(jobLog, jobLog.contains("\"kind\":\"sh-exit\"") && jobLog.contains("\"signal\""));
        assertTrue(log(b), log(b).contains("<== job after skipped"));
        System.out.println("abort on " + b.getBuiltOnStr() + ": build ended " + ms + " ms after the executor interrupt");
        return b;
    }

    /** The build's console so far; empty while the build has not created its log file yet (it has just started). */
    private static String log(FreeStyleBuild b) throws Exception {
        try {
            return Files.readString(b.getLogFile().toPath(), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException notYet) {
            return "";
        }
    }
}
