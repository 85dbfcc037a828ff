package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Real dockerd: Docker sets no process limit by default, so a fork loop in one job (a fork bomb, or a runaway
 * test forking servers) could use up the host's process ids and take the controller down with it. The run
 * container has a cap (a cap is tested, not the bomb). One exec mode (the default, agent) only: the cap is the
 * container's setting, read from its cgroup, the same for every process in it; how the agent itself behaves at the
 * cap is ExecAgentContainerIT's.
 */
class PidsLimitIT {
    private static DockerFixture docker;
    private static RunContainer box;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerFixture.open(PidsLimitIT.class, "pids");
        box = docker.startBox("pids-1");
    }

    @AfterAll
    static void stop() {
        if (docker != null) docker.close();
    }

    @Test
    void theRunContainerHasAProcessLimit() {
        RecordingListener l = new RecordingListener();
        ExecResult r = box.exec(ExecRequest.shell(
                "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max"), l);
        assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), r.toString());
        assertEquals(String.valueOf(DockerEngine.PIDS_LIMIT), l.stdout().trim());
    }
}
