package io.jenkins.plugins.quire.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private static final int ROUNDS = 5;
    private static final String SECRET = "bench-secret-7f3a9c";
    /** 99 characters and a newline; the secret line is as long, with the value from the variable {@code TOK}. */
    private static final String LINE99 = pad("a line of build output, one hundred bytes with its newline, as compilers and test runners print");
    private static final String SECRET_LINE = "deploy token $TOK "
            + pad("used here").substring(0, 99 - "deploy token  ".length() - SECRET.length());
    /** /tmp/block: 10,000 lines (1,000,000 bytes), every 1,000th naming the secret. */
    private static final String MAKE_BLOCK = "yes '" + LINE99 + "' | head -n 999 > /tmp/b999 && i=0 && while [ $i -lt 10 ];"
            + " do cat /tmp/b999; echo \"" + SECRET_LINE + "\"; i=$((i+1)); done > /tmp/block && [ $(wc -c < /tmp/block) -eq 1000000 ]";
    /** 200 MB: the block 200 times. */
    private static final String PRODUCE = "i=0; while [ $i -lt 200 ]; do cat /tmp/block; i=$((i+1)); done";
    
    private static String pad(String s) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < 99) b.append('.');
        return b.substring(0, 99);
    }

    private static String rounded(List<Double> xs) {
        StringBuilder b = new StringBuilder();
        for (double x : xs) b.append(b.length() == 0 ? "" : "/").append(Math.round(x));
        return b.toString();
    }

    /**
     * One run of the packaged runner whose job makes the block, then prints it 200 times; returns the time from that
     * sh's start to its job's end. The job ends only once all its output is in the JSONL and on the console (the
     * runner's stdout, a file here), so this is the engine's own time to get everything written.
     */
    private static double engineOutputMs() throws Exception {
        Path ws = workspace("(local ci (require :quire.ci))\n(ci.job :big [:quire/push]\n"
                + "  (fn [{: sh : secret}]\n"
                + "    (sh " + fennelString(MAKE_BLOCK) + " {:env {:TOK (secret :tok)}})\n"
                + "    (sh " + fennelString(PRODUCE) + ") {:ok true}))\n");
        CliBench.runCli(ws, List.of(), List.of("--secret", "tok=TOK"), Map.of("TOK", SECRET));
        long start = -1;
        for (JsonNode e : CliBench.events(ws.resolve("logs/jobs/big/log.jsonl"))) {
            if (e.get("kind").textValue().equals("sh-start") && e.get("n").asInt() == 2) start = CliBench.ts(e);
        }
        long end = -1;
        for (JsonNode e : CliBench.events(ws.resolve("logs/log.jsonl"))) {
            if (e.get("kind").textValue().equals("job-end")) end = CliBench.ts(e);
        }
        long jsonl = Files.size(ws.resolve("logs/jobs/big/log.jsonl"));
        long console = Files.size(ws.resolve("console.txt"));
        long redacted = 0;
        try (var lines = Files.lines(ws.resolve("logs/jobs/big/log.jsonl"))) {
            for (String l : (Iterable<String>) lines::iterator) {
                assertFalse(l.contains(SECRET), "the secret reached the JSONL");
                if (l.contains("{{ tok }}")) redacted++;
            }
        }
        assertTrue(redacted > 0, "the secret never appeared in the output");
        assertTrue(jsonl > BIG && console > BIG, "JSONL " + jsonl + " bytes, console " + console + " bytes");
        deleteTree(ws);
        return end - start;
    }

    private static String fennelString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Test
    void engineAgainstTheDockerCli() throws Exception {
        DockerTestSupport.engine().close();
        System.out.println("BENCH runner: " + System.getProperty("quire.jar"));
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
            // --- 200 MB of output (100-character lines, a declared secret now and then): median of interleaved runs
            DockerTestSupport.runOk("docker", "exec", "-e", "TOK=" + SECRET, id, "sh", "-c", MAKE_BLOCK);
            List<Double> engine = new ArrayList<>();
            List<Double> pipe = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                engine.add(engineOutputMs());
                pipe.add(CliBench.timeCommand("sh", "-c", "docker exec " + id + " sh -c '" + PRODUCE + "' | wc -c"
                        + " > /dev/null"));
            }
            double engineMs = CliBench.median(engine);
            double pipeMs = CliBench.median(pipe);
            System.out.printf("BENCH 200 MB output (100-char lines, 1 secret): engine into JSONL + console median %.0f ms"
                    + " = %.0f MB/s (runs %s); docker exec | wc -c median %.0f ms = %.0f MB/s (runs %s);"
                    + " ratio engine/CLI throughput = %.2f%n", engineMs, BIG / 1e3 / engineMs, rounded(engine),
                    pipeMs, BIG / 1e3 / pipeMs, rounded(pipe), pipeMs / engineMs);
            // --- 1 GB of output under a 64 MiB heap
            Path huge = workspace("(local ci (require :quire.ci))\n(ci.job :huge [:quire/push]\n"
                    + "  (fn [{: sh}] (let [r (sh \"yes '" + LINE + "' | head -c 1000000000\")] {:kept (length r.stdout)})))\n");
            long hugeMs = runCli(huge, "-Xmx64m");
            long logBytes = Files.size(huge.resolve("logs/jobs/huge/log.jsonl"));
            deleteTree(huge);

            double enginePerSh = CliBench.median(perSh);
            double cliPerSh = CliBench.median(cli);
            System.out.printf("BENCH per-sh `true`: engine median %.1f ms (sh-start to next sh-start, %d execs), "
                    + "`docker exec <id> true` CLI median %.1f ms; ratio engine/CLI = %.2f%n",
                    enginePerSh, perSh.size(), cliPerSh, enginePerSh / cliPerSh);
            System.out.printf("BENCH run start to first sh running: %d ms (java -jar quire-ci.jar run, JVM start,"
                    + " compile, container start)%n", firstStart - processStart);
            System.out.printf("BENCH 1 GB output with -Xmx64m: completed in %d ms, job log %d MB (heap bounded: the"
                    + " JVM could never hold the output)%n", hugeMs, logBytes / 1_000_000);
        } finally {
            DockerTestSupport.runOk("docker", "rm", "-f", id);
        }
    }
}
