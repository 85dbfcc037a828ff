package io.jenkins.plugins.quire.container.agent;

import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.container.agent.AgentSession.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why: the agent where it really runs, inside a build container: as the container's own command (pid 1, reached
 * through `docker run -i`), and started by `docker exec -i` into a running container; in both test images, as root
 * and dropping to 1000:1000, and under a pids limit that a request fills.
 */
class ExecAgentContainerIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> ENV = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "QUIRE_EXEC_TOKEN=tok-container");

    @AfterEach
    void removeContainers() {
        AgentContainers.removeAll();
    }

    private static List<String> sh(String script) {
        return List.of("sh", "-c", script);
    }

    @ParameterizedTest
    @ValueSource(strings = {DockerTestSupport.BUSYBOX, DockerTestSupport.DEBIAN})
    void asTheContainersCommand(String image) throws Exception {
        String name = AgentContainers.newName();
        try (AgentSession agent = AgentSession.start(AgentContainers.runAgent(name, image))) {
            assertEquals(1, AgentFrames.helloPid(agent.hello()), "the agent is the container's pid 1");

            Exchange root = agent.run(1, "", "/tmp", sh("id -u; pwd; echo oops >&2; exit 5"), ENV).await(WAIT);
            assertEquals("0\n/tmp\n", root.out());
            assertEquals("oops\n", root.err());
            assertEquals(5, root.exit());

            Exchange user = agent.run(2, "1000:1000", "/", sh("id -u; id -g; touch /root/x 2>/dev/null || echo denied"), ENV)
                    .await(WAIT);
            assertEquals("1000\n1000\ndenied\n", user.out(), user.err());

            Exchange daemon = agent.run(3, sh("setsid sh -c 'exec sleep 1000' & env -u QUIRE_EXEC_TOKEN sleep 1001 & sleep 0.2"),
                    ENV).await(WAIT);
            assertEquals(1, daemon.flags() & 1, "left-behind sleeps were killed");
            Exchange ps = agent.run(4, sh("cat /proc/[0-9]*/comm"), ENV).await(WAIT);
            assertFalse(ps.out().contains("sleep"), "no sleep left in the container: " + ps.out());

            Exchange missing = agent.run(5, List.of("no-such-tool"), ENV).await(WAIT);
            assertEquals(127, missing.exit());
            assertTrue(missing.err().contains("no-such-tool"), missing.err());

            agent.send(AgentFrames.quit());
            assertEquals(0, agent.waitFor(WAIT), "Q ends the agent and with it the container");
        }
    }

    @Test
    void survivesARequestFillingThePidsLimit() throws Exception {
        String name = AgentContainers.newName();
        try (AgentSession agent = AgentSession.start(AgentContainers.runAgent(name, DockerTestSupport.BUSYBOX))) {
            Exchange fill = agent.run(1, sh("i=0; while [ $i -lt 400 ]; do sleep 1000 & i=$((i+1)); done 2>/dev/null; echo filled"),
                    ENV).await(WAIT);
            assertEquals(1, fill.flags() & 1, "the sleeps up to the limit were killed: " + fill.err());
            Exchange after = agent.run(2, sh("echo alive; cat /proc/[0-9]*/comm | grep -c sleep"), ENV).await(WAIT);
            assertEquals("alive\n0\n", after.out(), after.err());
            assertEquals(1, after.exit(), "grep -c found nothing");
        }
    }

    @Test
    void startedByDockerExecIntoARunningContainer() throws Exception {
        String name = AgentContainers.newName();
        List<String> runCmd = new ArrayList<>(List.of("docker", "run", "-d", "--name", name, "--label", AgentContainers.LABEL,
                "-v", AgentSession.binary().toAbsolutePath() + ":/opt/quire-exec-agent:ro", DockerTestSupport.DEBIAN,
                "sleep", "1000"));
        DockerTestSupport.engine().close();
        DockerTestSupport.runOk(runCmd.toArray(String[]::new));
        try (AgentSession agent = AgentSession.start(List.of("docker", "exec", "-i", name, "/opt/quire-exec-agent"))) {
            assertTrue(AgentFrames.helloPid(agent.hello()) > 1);
            Exchange e = agent.run(1, "1000:1000", "/", sh("id -u; echo $QUIRE_EXEC_TOKEN"), ENV).await(WAIT);
            assertEquals("1000\ntok-container\n", e.out());
            agent.send(AgentFrames.quit());
            assertEquals(0, agent.waitFor(WAIT));
        }
    }
}
