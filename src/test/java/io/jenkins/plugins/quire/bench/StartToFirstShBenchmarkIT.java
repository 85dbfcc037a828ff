package io.jenkins.plugins.quire.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Benchmark (prints figures, asserts no time) of what the exec agent adds to a run's start, through the packaged
 * runner: from the run log's first event (the run starts, before its container is created) to the first
 * {@code sh-start}, for a pipeline whose only job runs {@code true}; median of interleaved runs in both exec modes.
 * JVM start and compilation are outside the span, so the difference between the modes is the agent's own cost.
 * With {@code -Dquire.bench.baseline=PATH} (another build of the runner, e.g. main's) every round runs that jar's
 * two modes too, interleaved with this build's, and both are printed: a before/after taken under the same load.
 */
@Tag("benchmark")
class StartToFirstShBenchmarkIT {
    private static final int ROUNDS = 9;

    private static double startToFirstSh(String mode) throws Exception {
        return startToFirstSh(System.getProperty("quire.jar"), mode);
    }

    private static double startToFirstSh(String jar, String mode) throws Exception {
        Path ws = CliBench.workspace("(local ci (require :quire.ci))\n(ci.job :one [:quire/push]\n"
                + "  (fn [{: sh}] (sh [\"true\"]) {}))\n");
        try {
            CliBench.runJar(jar, ws, List.of(), List.of("--exec", mode), java.util.Map.of());
            List<JsonNode> run = CliBench.events(ws.resolve("logs/log.jsonl"));
            long runStart = CliBench.ts(run.get(0));
            String seen = "?";
            for (JsonNode e : run) if (e.get("kind").textValue().equals("exec-mode")) seen = e.get("mode").textValue();
            assertEquals(mode, seen, "the run did not use the mode it was asked for");
            for (JsonNode e : CliBench.events(ws.resolve("logs/jobs/one/log.jsonl"))) {
                if (e.get("kind").textValue().equals("sh-start")) return CliBench.ts(e) - runStart;
            }
            throw new AssertionError("no sh-start in the job's log");
        } finally {
            try (var paths = Files.walk(ws)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    @Test
    void runStartToFirstShInBothModes() throws Exception {
        String baseline = System.getProperty("quire.bench.baseline", "").trim();
        startToFirstSh("agent");       // warm-up: the image's layers and the engine's caches
        startToFirstSh("docker");
        List<Double> agent = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        List<Double> baseAgent = new ArrayList<>();
        List<Double> basePlain = new ArrayList<>();
        String loadBefore = CliBench.loadAverage();
        for (int i = 0; i < ROUNDS; i++) {
            if (!baseline.isEmpty()) baseAgent.add(startToFirstSh(baseline, "agent"));
            agent.add(startToFirstSh("agent"));
            if (!baseline.isEmpty()) basePlain.add(startToFirstSh(baseline, "docker"));
            plain.add(startToFirstSh("docker"));
        }
        String load = "load average " + loadBefore + " before, " + CliBench.loadAverage() + " after";
        if (!baseline.isEmpty()) print("baseline " + baseline, baseAgent, basePlain, load);
        print("this build", agent, plain, load);
    }

    private static void print(String which, List<Double> agent, List<Double> plain, String load) {
        double a = CliBench.median(agent);
        double p = CliBench.median(plain);
        System.out.printf("BENCH run start to first sh running (%s; run log's first event to sh-start, median of %d"
                + " interleaved runs): agent mode %.0f ms %s, docker mode %.0f ms %s; the agent adds %+.0f ms"
                + " (goal: <= 50); %s%n", which, ROUNDS, a, agent, p, plain, a - p, load);
    }
}
