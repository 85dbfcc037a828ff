package io.jenkins.plugins.quire.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Benchmark (prints figures, asserts no time) of a run container's start in one warm JVM, as a Jenkins controller or
 * agent runs it: from {@code DockerEngine.startRun} (image known, job scratch directories and workspace check
 * included) to the end of a first {@code true}, in both exec modes, interleaved, median of 15 after 3 warm-ups each.
 * The CLI figure (StartToFirstShBenchmarkIT) adds a fresh JVM's class loading on top.
 */
@Tag("benchmark")
class ContainerStartBenchmarkIT {
    private static final int ROUNDS = 15;
    private static final String OWNER = DockerTestSupport.owner(ContainerStartBenchmarkIT.class);

    private static double startToFirstTrue(DockerEngine engine, Path ws, ExecMode mode, int i) {
        long t0 = System.nanoTime();
        try (RunContainer c = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, ws, "bench-" + mode + "-" + i, OWNER)
                .withNetworkMode("none").withExecMode(mode).withJobScratch(List.of("a", "b")))) {
            assertEquals(mode, c.execMode().mode(), c.execMode().toString());
            assertEquals(0, c.exec(ExecRequest.argv("true"), new RecordingListener()).exitCode());
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    @Test
    void startRunToFirstShInAWarmJvm() throws Exception {
        Path ws = DockerTestSupport.newWorkspace("start-bench");
        try (DockerEngine engine = DockerTestSupport.engine()) {
            for (int i = 0; i < 3; i++) {
                startToFirstTrue(engine, ws, ExecMode.AGENT, -1 - i);
                startToFirstTrue(engine, ws, ExecMode.DOCKER, -1 - i);
            }
            List<Double> agent = new ArrayList<>();
            List<Double> plain = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                agent.add(startToFirstTrue(engine, ws, ExecMode.AGENT, i));
                plain.add(startToFirstTrue(engine, ws, ExecMode.DOCKER, i));
            }
            double a = median(agent);
            double p = median(plain);
            System.out.printf("BENCH container start to the end of a first `true` in a warm JVM (startRun + exec, median of"
                    + " %d interleaved): agent mode %.0f ms, docker mode %.0f ms; the agent adds %+.0f ms (goal: <= 50)%n",
                    ROUNDS, a, p, a - p);
        } finally {
            DockerTestSupport.deleteTree(ws);
        }
    }
}
