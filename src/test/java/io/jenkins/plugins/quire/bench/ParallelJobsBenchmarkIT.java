package io.jenkins.plugins.quire.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (prints figures, asserts no time) of jobs running at once, through the packaged runner: the jobs phase
 * (first {@code job-start} of a job to the last {@code job-end}, from the run log) of 4 independent jobs each sleeping
 * 1 s, and of 8 independent jobs each running 20 {@code sh "true"}, with {@code --parallel} N against 1, in both exec
 * modes (plain {@code docker exec} first). Each figure is the median of three runs.
 */
@Tag("benchmark")
class ParallelJobsBenchmarkIT {
    private static final int RUNS = 3;

    private static String fanOut(int jobs, String body) {
        StringBuilder s = new StringBuilder("(local ci (require :quire.ci))\n");
        for (int i = 0; i < jobs; i++) s.append("(ci.job :j").append(i).append(" [:quire/push] (fn [{: sh}] ")
                .append(body).append(" {}))\n");
        return s.toString();
    }

    /** The jobs phase of one run, in ms. */
    private static double jobsPhase(String fnl, int parallel, String mode) throws Exception {
        Path ws = CliBench.workspace(fnl);
        CliBench.runCli(ws, List.of(), List.of("--parallel", String.valueOf(parallel), "--exec", mode));
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (JsonNode e : CliBench.events(ws.resolve("logs/log.jsonl"))) {
            String kind = e.get("kind").textValue();
            if (!e.has("job") || e.get("job").textValue().equals("quire/push")) continue;
            if (kind.equals("job-start")) first = Math.min(first, CliBench.ts(e));
            if (kind.equals("job-end")) last = Math.max(last, CliBench.ts(e));
        }
        return last - first;
    }

    private static double median(String fnl, int parallel, String mode) throws Exception {
        List<Double> xs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) xs.add(jobsPhase(fnl, parallel, mode));
        return CliBench.median(xs);
    }

    @Test
    void jobsRunningAtOnceAgainstOneAtATime() throws Exception {
        for (String mode : new String[] {"docker", "agent"}) {
            String sleeps = fanOut(4, "(sh \"sleep 1\")");
            double sleep4 = median(sleeps, 4, mode);
            double sleep1 = median(sleeps, 1, mode);
            System.out.printf("BENCH 4 jobs x sh \"sleep 1\", %s mode: jobs phase --parallel 4: %.0f ms, --parallel 1:"
                    + " %.0f ms (goal: <= 1250 against >= 4000)%n", mode, sleep4, sleep1);
            String trues = fanOut(8, "(for [i 1 20] (sh \"true\"))");
            double true8 = median(trues, 8, mode);
            double true1 = median(trues, 1, mode);
            System.out.printf("BENCH 8 jobs x 20 sh \"true\", %s mode: jobs phase --parallel 8: %.0f ms,"
                    + " --parallel 1: %.0f ms; speed-up %.2fx (goal in docker mode: >= 1.5x)%n", mode, true8, true1,
                    true1 / true8);
        }
    }
}
