package io.jenkins.plugins.quire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.DockerEngine;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Stopping the Hudson process (SIGTERM, as the demo's Ctrl-C does) while a Quire CI build runs: the plugin's JVM
 * shutdown hook must have removed the build's container by the time the process has exited (teardown
 * "on every path: ... JVM shutdown hook"), so nothing is left for a later sweep.
 *
 * <p>Regression test: Hudson interrupts the build's thread on shutdown, and the teardown used to fail at once
 * under that interrupt ("interrupted while waiting for Docker") and forget the container. Teardown now clears the
 * interrupt for its Docker calls, and a container that could not be removed stays registered for the hook.
 */
class ServerShutdownIT {
    private static DockerEngine docker;
    private static HudsonServer hudson;

    @AfterAll
    static void cleanUp() {
        if (hudson != null) hudson.close();
        if (docker != null) {
            docker.sweepLeftovers(hudson == null ? "" : hudson.owner());
            docker.close();
        }
    }

    @Test
    void stoppingTheServerMidBuildLeavesNoContainer() throws Exception {
        docker = DockerTestSupport.engine();
        hudson = HudsonServer.startWithPlugin("shutdown");
        HudsonJobs jobs = new HudsonJobs(hudson);
        jobs.create("long", new FreestyleJobXml().quire(".quire/ci.fnl", "quire-test:busybox", 5).xml());
        jobs.writeWorkspaceFile("long", ".quire/ci.fnl", Pipelines.sleeper());
        int n = jobs.trigger("long");
        jobs.awaitConsole("long", n, "sleeping-now", Duration.ofMinutes(3));
        assertEquals(1, docker.containersOf(hudson.owner()).size(), "the build's container runs");

        hudson.close(); // SIGTERM, waits for the process to exit
        List<String> left = docker.containersOf(hudson.owner());
        String runLog = Files.readString(jobs.buildDir("long", n).resolve("archive/quire/log.jsonl"));
        String states = left.isEmpty() ? "" : DockerTestSupport.runOk("docker", "inspect", "-f",
                "{{.Id}} status={{.State.Status}} running={{.State.Running}} exit={{.State.ExitCode}}", left.get(0));
        assertEquals(List.of(), left, "containers still there after Hudson exited (" + states + "); run log:\n" + runLog);
        assertTrue(runLog.contains("\"kind\":\"container-end\""), "container-end recorded:\n" + runLog);
        // the run was aborted before its container went: an abort, not a container death
        assertTrue(runLog.contains("\"state\":\"aborted\""), "the running job ends aborted:\n" + runLog);
        assertFalse(runLog.contains("\"kind\":\"container-died\""), "no container death recorded:\n" + runLog);
    }
}
