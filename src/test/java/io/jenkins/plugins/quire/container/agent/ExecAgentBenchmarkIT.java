package io.jenkins.plugins.quire.container.agent;

import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.container.agent.AgentSession.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Why: the figure the agent exists for: the round trip of a `true` through the agent in a container, against the
 * `docker exec` CLI into the same container. Printed, never asserted (scripts/benchmark.sh runs it).
 */
@Tag("benchmark")
class ExecAgentBenchmarkIT {
    private static final List<String> ENV = List.of("PATH=/usr/bin:/bin");

    @AfterEach
    void removeContainers() {
        AgentContainers.removeAll();
    }

    @Test
    void roundTripOfTrue() throws Exception {
        String name = AgentContainers.newName();
        try (AgentSession agent = AgentSession.start(AgentContainers.runAgent(name, DockerTestSupport.DEBIAN))) {
            List<Double> ms = new ArrayList<>();
            for (int i = 1; i <= 220; i++) {
                long t0 = System.nanoTime();
                Exchange e = agent.run(i, List.of("true"), ENV).await(Duration.ofSeconds(30));
                if (i > 20) ms.add((e.exitFrame().nanos() - t0) / 1e6);   // the first 20 warm up
                assertEquals(0, e.exit());
            }
            List<Double> cli = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                DockerTestSupport.runOk("docker", "exec", name, "true");
                cli.add((System.nanoTime() - t0) / 1e6);
            }
            System.out.printf("exec agent: `true` round trip through the agent in a container, median of %d: %.2f ms "
                    + "(p90 %.2f ms); `docker exec` CLI, median of %d: %.1f ms%n",
                    ms.size(), pct(ms, 50), pct(ms, 90), cli.size(), pct(cli, 50));
        }
    }

    private static double pct(List<Double> v, int p) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, s.size() * p / 100));
    }
}
