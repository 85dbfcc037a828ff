package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.nio.file.Files;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Real dockerd: a command whose main process replaces its own environment ({@code exec env -i make}, a common way
 * to build in a clean environment) loses the token variable at its root. A timeout must still kill it as a
 * timeout, not stop the whole container (which failed every later job of the run). Plain {@code docker exec} here
 * (its killer finds the tree by the token); through the exec agent in {@link ExecRootWithoutTokenAgentIT} (the agent
 * finds it by session and ancestry).
 */
class ExecRootWithoutTokenIT {
    private static DockerFixture docker;
    private static RunContainer box;

    @BeforeAll
    static void start(TestInfo info) throws Exception {
        docker = DockerFixture.open(ExecRootWithoutTokenIT.class, "envi");
        box = docker.startBox("envi-1", DockerTestSupport.execModeOf(info));
    }

    @AfterAll
    static void stop() {
        if (docker != null) docker.close();
    }

    @Test
    void aTimeoutKillsARootThatDroppedItsEnvironmentAndTheContainerLivesOn() throws Exception {
        ExecResult r = box.exec(ExecRequest.shell("exec env -i sh -c 'sleep 360; touch /work/after-envi'")
                .withTimeout(Duration.ofSeconds(1)), ExecListener.DISCARD);
        assertEquals(ExecOutcome.TIMED_OUT, r.outcome(), r.toString());
        assertEquals(137, r.exitCode(), r.toString());
        RecordingListener l = new RecordingListener();
        ExecResult ps = box.exec(ExecRequest.shell("ps -o args | grep -c '^[s]leep 360' || true"), l);
        assertEquals(ExecOutcome.SUCCEEDED, ps.outcome(), "the container lives on: " + ps);
        assertEquals("0", l.stdout().trim());
        Thread.sleep(500);
        assertFalse(Files.exists(docker.workspace().resolve("after-envi")));
    }
}
