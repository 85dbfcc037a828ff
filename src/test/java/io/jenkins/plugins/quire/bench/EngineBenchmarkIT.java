package io.jenkins.plugins.quire.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (prints figures, asserts no time) of the packaged runner against the Docker CLI, side by side in one
 * run: per-sh cost of {@code true}, run start to the first sh, 200 MB of output into JSONL, and a 1 GB output under
 * a 64 MiB heap (bounded memory). Figures are what the closing notes quote.
 */
@Tag("benchmark")
class EngineBenchmarkIT {
    private static Path workspace(String fnl) throws IOException {
        return CliBench.workspace(fnl);
    }

    private static long runCli(Path ws, String... jvmArgs) throws Exception {
        return CliBench.runCli(ws, List.of(jvmArgs), List.of());
    }

    private static final int SH_COUNT = 60;
    private static final long BIG = 200_000_000L;
    private static final String LINE = "a typical line of build output, about sixty characters long.";
    
    @Test
    void engineAgainstTheDockerCli() throws Exception {
        DockerTestSupport.engine().close();
        // --- per-sh cost and start to first sh, through the packaged runner
        Path ws = workspace("(local ci (require :quire.ci))\n(ci.job :many [:quire/push]\n"
                + "  (fn [{: sh}] (for [i 1 " + SH_COUNT + "] (sh [\"true\"])) {:n " + SH_COUNT + "}))\n");
        long processStart = System.currentTimeMillis();
        runCli(ws);
        List<JsonNode> job = CliBench.events(ws.resolve("logs/jobs/many/log.jsonl"));
        List<Double> perSh = new ArrayList<>();
        long firstStart = -1;
        long prevStart = -1;
        for (JsonNode e : job) {
            if (!e.get("kind").textValue().equals("sh-start")) continue;
            long t = CliBench.ts(e);
            if (firstStart < 0) firstStart = t;
            if (prevStart >= 0) perSh.add((double) (t - prevStart));
            prevStart = t;
        }
        // --- the same through the CLI, against a container of the same image
        String id = DockerTestSupport.runOk("docker", "run", "-d", "--init", "--label", "io.quire.owner=bench-cli",
                DockerTestSupport.BUSYBOX, "sleep", "3600");
        List<Double> cli = new ArrayList<>();
        try {
            for (int i = 0; i < SH_COUNT; i++) cli.add(CliBench.timeCommand("docker", "exec", id, "true"));
            // --- 200 MB of output: the CLI pipe
            String gen = "yes '" + LINE + "' | head -c " + BIG;
            double pipeMs = CliBench.timeCommand("sh", "-c", "docker exec " + id + " sh -c \"" + gen + "\" | wc -c > /dev/null");
            // --- 200 MB of output: through the engine into JSONL
            Path big = workspace("(local ci (require :quire.ci))\n(ci.job :big [:quire/push]\n"
                    + "  (fn [{: sh}] (sh \"" + gen.replace("\"", "\\\"") + "\") {:ok true}))\n");
            runCli(big);
            double engineMs = -1;
            for (JsonNode e : CliBench.events(big.resolve("logs/jobs/big/log.jsonl"))) {
                if (e.get("kind").textValue().equals("sh-exit")) engineMs = e.get("duration_ms").asDouble();
            }
            // --- 1 GB of output under a 64 MiB heap
            Path huge = workspace("(local ci (require :quire.ci))\n(ci.job :huge [:quire/push]\n"
                    + "  (fn [{: sh}] (let [r (sh \"yes '" + LINE + "' | head -c 1000000000\")] {:kept (length r.stdout)})))\n");
            long hugeMs = runCli(huge, "-Xmx64m");
            long logBytes = Files.size(huge.resolve("logs/jobs/huge/log.jsonl"));

            double enginePerSh = CliBench.median(perSh);
            double cliPerSh = CliBench.median(cli);
            System.out.printf("BENCH per-sh `true`: engine median %.1f ms (sh-start to next sh-start, %d execs), "
                    + "`docker exec <id> true` CLI median %.1f ms; ratio engine/CLI = %.2f%n",
                    enginePerSh, perSh.size(), cliPerSh, enginePerSh / cliPerSh);
            System.out.printf("BENCH run start to first sh running: %d ms (java -jar quire-ci.jar run, JVM start,"
                    + " compile, container start)%n", firstStart - processStart);
            System.out.printf("BENCH 200 MB output: engine into JSONL %.0f ms = %.0f MB/s; docker exec | wc -c %.0f ms"
                    + " = %.0f MB/s; ratio engine/CLI throughput = %.2f%n", engineMs, BIG / 1e3 / engineMs, pipeMs,
                    BIG / 1e3 / pipeMs, pipeMs / engineMs);
            System.out.printf("BENCH 1 GB output with -Xmx64m: completed in %d ms, job log %d MB (heap bounded: the"
                    + " JVM could never hold the output)%n", hugeMs, logBytes / 1_000_000);
        } finally {
            DockerTestSupport.runOk("docker", "rm", "-f", id);
        }
    }
}
