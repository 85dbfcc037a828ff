package io.jenkins.plugins.quire.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (prints figures, asserts no time) of the packaged runner against the Docker CLI, side by side in one
 * run: per-sh cost of {@code true}, run start to the first sh, 200 MB of output into JSONL, and a 1 GB output under
 * a 64 MiB heap (bounded memory). Figures are what the closing notes quote.
 */
@Tag("benchmark")
class EngineBenchmarkIT {
    private static final int SH_COUNT = 60;
    private static final long BIG = 200_000_000L;
    private static final String LINE = "a typical line of build output, about sixty characters long.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path workspace(String fnl) throws IOException {
        Path ws = Files.createTempDirectory("quire-bench-ws");
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), fnl);
        return ws;
    }

    /** Runs {@code quire-ci run} as a process; returns its wall time in ms. */
    private static long runCli(Path ws, String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-jar", System.getProperty("quire.jar"), "run", "--workspace", ws.toString(),
                "--image", DockerTestSupport.BUSYBOX, "--logs", "logs"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ws.resolve("console.txt").toFile())
                .start();
        p.waitFor(30, TimeUnit.MINUTES);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, p.exitValue(), Files.readString(ws.resolve("console.txt")));
        return ms;
    }

    private static List<JsonNode> events(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) out.add(JSON.readTree(line));
        return out;
    }

    private static long ts(JsonNode e) {
        return Instant.parse(e.get("ts").textValue()).toEpochMilli();
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    /** Wall time of a host command in ms (its output discarded). */
    private static double timeCommand(String... cmd) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        p.waitFor(10, TimeUnit.MINUTES);
        assertEquals(0, p.exitValue(), String.join(" ", cmd));
        return (System.nanoTime() - t0) / 1e6;
    }

    @Test
    void engineAgainstTheDockerCli() throws Exception {
        DockerTestSupport.engine().close();
        // --- per-sh cost and start to first sh, through the packaged runner
        Path ws = workspace("(local ci (require :quire.ci))\n(ci.job :many [:quire/push]\n"
                + "  (fn [{: sh}] (for [i 1 " + SH_COUNT + "] (sh [\"true\"])) {:n " + SH_COUNT + "}))\n");
        long processStart = System.currentTimeMillis();
        runCli(ws);
        List<JsonNode> job = events(ws.resolve("logs/jobs/many/log.jsonl"));
        List<Double> perSh = new ArrayList<>();
        long firstStart = -1;
        long prevStart = -1;
        for (JsonNode e : job) {
            if (!e.get("kind").textValue().equals("sh-start")) continue;
            long t = ts(e);
            if (firstStart < 0) firstStart = t;
            if (prevStart >= 0) perSh.add((double) (t - prevStart));
            prevStart = t;
        }
        // --- the same through the CLI, against a container of the same image
        String id = DockerTestSupport.runOk("docker", "run", "-d", "--init", "--label", "io.quire.owner=bench-cli",
                DockerTestSupport.BUSYBOX, "sleep", "3600");
        List<Double> cli = new ArrayList<>();
        try {
            for (int i = 0; i < SH_COUNT; i++) cli.add(timeCommand("docker", "exec", id, "true"));
            // --- 200 MB of output: the CLI pipe
            String gen = "yes '" + LINE + "' | head -c " + BIG;
            double pipeMs = timeCommand("sh", "-c", "docker exec " + id + " sh -c \"" + gen + "\" | wc -c > /dev/null");
            // --- 200 MB of output: through the engine into JSONL
            Path big = workspace("(local ci (require :quire.ci))\n(ci.job :big [:quire/push]\n"
                    + "  (fn [{: sh}] (sh \"" + gen.replace("\"", "\\\"") + "\") {:ok true}))\n");
            runCli(big);
            double engineMs = -1;
            for (JsonNode e : events(big.resolve("logs/jobs/big/log.jsonl"))) {
                if (e.get("kind").textValue().equals("sh-exit")) engineMs = e.get("duration_ms").asDouble();
            }
            // --- 1 GB of output under a 64 MiB heap
            Path huge = workspace("(local ci (require :quire.ci))\n(ci.job :huge [:quire/push]\n"
                    + "  (fn [{: sh}] (let [r (sh \"yes '" + LINE + "' | head -c 1000000000\")] {:kept (length r.stdout)})))\n");
            long hugeMs = runCli(huge, "-Xmx64m");
            long logBytes = Files.size(huge.resolve("logs/jobs/huge/log.jsonl"));

            double enginePerSh = median(perSh);
            double cliPerSh = median(cli);
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
