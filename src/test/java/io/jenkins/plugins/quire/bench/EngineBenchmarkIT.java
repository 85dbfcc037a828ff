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

    private static long runCli(Path ws, String mode, String... jvmArgs) throws Exception {
        return CliBench.runCli(ws, List.of(jvmArgs), List.of("--exec", mode));
    }

    /** Both ways an sh reaches the container: the resident exec agent, and one docker exec per sh. */
    private static final String[] MODES = {"agent", "docker"};
    private static final int SH_COUNT = 200;
    private static final int SMALL_SH = 500;
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
     * runner's stdout, a file here), so this is the engine's own time to get everything written. Also returns the
     * runner JVM's CPU time for the whole run (start-up included), which depends much less on the machine's load.
     */
    private static double[] engineOutput(String jar, String mode) throws Exception {
        Path ws = workspace("(local ci (require :quire.ci))\n(ci.job :big [:quire/push]\n"
                + "  (fn [{: sh : secret}]\n"
                + "    (sh " + fennelString(MAKE_BLOCK) + " {:env {:TOK (secret :tok)}})\n"
                + "    (sh " + fennelString(PRODUCE) + ") {:ok true}))\n");
        CliBench.Measured run = CliBench.runCliMeasured(jar, ws, List.of(), List.of("--secret", "tok=TOK", "--exec", mode),
                Map.of("TOK", SECRET));
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
        return new double[] {end - start, run.cpuMs()};
    }

    private static String fennelString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /**
     * The per-sh figures of one mode: median sh-start to next sh-start of 200 `true`, run start to first sh, and
     * where the time between two sh-starts goes (medians, from the job log): sh-start to sh-exit, the exec's own
     * {@code duration_ms} within it (request sent to exit received), and sh-exit to the next sh-start (the sh-exit
     * written, the result table, the Lua loop, the next sh's arguments).
     */
    private static double[] perShAndStart(String mode) throws Exception {
        return perShAndStart(System.getProperty("quire.jar"), mode);
    }

    private static double[] perShAndStart(String jar, String mode) throws Exception {
        Path ws = workspace("(local ci (require :quire.ci))\n(ci.job :many [:quire/push]\n"
                + "  (fn [{: sh}] (for [i 1 " + SH_COUNT + "] (sh [\"true\"])) {:n " + SH_COUNT + "}))\n");
        long processStart = System.currentTimeMillis();
        CliBench.runJar(jar, ws, List.of(), List.of("--exec", mode), Map.of());
        List<Double> perSh = new ArrayList<>();
        List<Double> startToExit = new ArrayList<>();
        List<Double> duration = new ArrayList<>();
        List<Double> exitToNext = new ArrayList<>();
        long firstStart = -1;
        long prevStart = -1;
        long prevExit = -1;
        for (JsonNode e : CliBench.events(ws.resolve("logs/jobs/many/log.jsonl"))) {
            String kind = e.get("kind").textValue();
            if (kind.equals("sh-exit")) {
                prevExit = CliBench.ts(e);
                startToExit.add((double) (prevExit - prevStart));
                duration.add(e.get("duration_ms").doubleValue());
                continue;
            }
            if (!kind.equals("sh-start")) continue;
            long t = CliBench.ts(e);
            if (firstStart < 0) firstStart = t;
            if (prevStart >= 0) perSh.add((double) (t - prevStart));
            if (prevExit >= 0) exitToNext.add((double) (t - prevExit));
            prevStart = t;
        }
        String modeSeen = "?";
        for (JsonNode e : CliBench.events(ws.resolve("logs/log.jsonl"))) {
            if (e.get("kind").textValue().equals("exec-mode")) modeSeen = e.get("mode").textValue();
        }
        assertEquals(mode, modeSeen, "the run did not use the mode it was asked for");
        deleteTree(ws);
        return new double[] {CliBench.median(perSh), firstStart - processStart, CliBench.median(startToExit),
                CliBench.median(duration), CliBench.median(exitToNext)};
    }

    /**
     * {@code -Dquire.bench.baseline=<runner jar>} (e.g. main's build): the per-sh figure of that jar and of this
     * build, agent mode, in {@link #BASELINE_ROUNDS} interleaved rounds, so that a change is judged side by side at
     * the same load.
     */
    private static final int BASELINE_ROUNDS = 3;

    private static void perShAgainstBaseline(String baseline) throws Exception {
        String[] jars = {baseline, System.getProperty("quire.jar")};
        String[] names = {"baseline", "this build"};
        List<List<double[]>> runs = List.of(new ArrayList<>(), new ArrayList<>());
        List<String> loads = new ArrayList<>();
        for (int round = 0; round < BASELINE_ROUNDS; round++) {
            for (int j = 0; j < jars.length; j++) runs.get(j).add(perShAndStart(jars[j], "agent"));
            loads.add(CliBench.load());
        }
        for (int j = 0; j < jars.length; j++) {
            List<Double> medians = new ArrayList<>();
            for (double[] r : runs.get(j)) medians.add(r[0]);
            StringBuilder parts = new StringBuilder();
            for (double[] r : runs.get(j)) {
                parts.append(String.format(" [%.1f: start->exit %.1f, duration_ms %.1f, exit->next start %.1f]", r[0],
                        r[2], r[3], r[4]));
            }
            System.out.printf("BENCH per-sh `true`, agent mode, %s (%s): median of the rounds' medians %.1f ms;"
                    + " rounds%s; load after each round %s%n", names[j], jars[j], CliBench.median(medians), parts,
                    loads);
        }
    }

    /** Whole-run wall time of a run-fn doing 500 small sh calls. */
    private static long smallShRun(String mode) throws Exception {
        Path ws = workspace("(local ci (require :quire.ci))\n(ci.job :small [:quire/push]\n"
                + "  (fn [{: sh}] (var n 0) (for [i 1 " + SMALL_SH + "] (let [r (sh [\"echo\" (tostring i)])]"
                + " (set n (+ n (length r.stdout))))) {:bytes n}))\n");
        long ms = runCli(ws, mode);
        deleteTree(ws);
        return ms;
    }

    /**
     * {@code -Dquire.bench.only=persh,output,huge} (any of them, comma-separated) runs only those parts: the per-sh
     * figures (with the 500 small sh and the start), the 200 MB output, the 1 GB under a small heap. Default: all.
     */
    private static boolean part(String name) {
        String only = System.getProperty("quire.bench.only", "").trim();
        return only.isEmpty() || List.of(only.split("\\s*,\\s*")).contains(name);
    }

    @Test
    void engineAgainstTheDockerCli() throws Exception {
        DockerTestSupport.engine().close();
        System.out.println("BENCH runner: " + System.getProperty("quire.jar"));
        // --- per-sh cost, start to first sh and 500 small sh, through the packaged runner, in both modes
        double[][] perSh = new double[MODES.length][];
        long[] small = new long[MODES.length];
        for (int m = 0; m < MODES.length && part("persh"); m++) {
            perSh[m] = perShAndStart(MODES[m]);
            small[m] = smallShRun(MODES[m]);
        }
        String baseline = System.getProperty("quire.bench.baseline", "").trim();
        if (!baseline.isEmpty() && part("persh")) perShAgainstBaseline(baseline);
        // --- the same through the CLI, against a container of the same image
        String id = DockerTestSupport.runOk("docker", "run", "-d", "--init", "--label", "io.quire.owner=bench-cli",
                DockerTestSupport.BUSYBOX, "sleep", "3600");
        List<Double> cli = new ArrayList<>();
        try {
            for (int i = 0; i < SH_COUNT && part("persh"); i++) cli.add(CliBench.timeCommand("docker", "exec", id, "true"));
            // --- 200 MB of output (100-character lines, a declared secret now and then): median of interleaved runs
            DockerTestSupport.runOk("docker", "exec", "-e", "TOK=" + SECRET, id, "sh", "-c", MAKE_BLOCK);
            // -Dquire.bench.baseline=<an older quire-ci.jar>: that runner too, interleaved with this one in every round
            List<String> jars = new ArrayList<>(List.of(System.getProperty("quire.jar")));
            if (!baseline.isEmpty()) jars.add(baseline);
            List<List<Double>> engine = new ArrayList<>();
            List<List<Double>> cpu = new ArrayList<>();
            for (int k = 0; k < jars.size() * MODES.length; k++) {
                engine.add(new ArrayList<>());
                cpu.add(new ArrayList<>());
            }
            List<Double> pipe = new ArrayList<>();
            for (int round = 0; round < ROUNDS && part("output"); round++) {
                for (int m = 0; m < MODES.length; m++) {
                    for (int j = 0; j < jars.size(); j++) {
                        double[] r = engineOutput(jars.get(j), MODES[m]);
                        engine.get(j * MODES.length + m).add(r[0]);
                        cpu.get(j * MODES.length + m).add(r[1]);
                    }
                }
                pipe.add(CliBench.timeCommand("sh", "-c", "docker exec " + id + " sh -c '" + PRODUCE + "' | wc -c"
                        + " > /dev/null"));
            }
            double pipeMs = pipe.isEmpty() ? 0 : CliBench.median(pipe);
            for (int j = 0; j < jars.size() && part("output"); j++) {
                for (int m = 0; m < MODES.length; m++) {
                    List<Double> e = engine.get(j * MODES.length + m);
                    double engineMs = CliBench.median(e);
                    System.out.printf("BENCH 200 MB output (100-char lines, 1 secret), %s mode%s: engine into JSONL +"
                            + " console median %.0f ms = %.0f MB/s (runs %s); docker exec | wc -c median %.0f ms = %.0f"
                            + " MB/s (runs %s); ratio engine/CLI throughput = %.2f; runner JVM CPU median %.0f ms"
                            + " (runs %s)%n", MODES[m], j == 0 ? "" : ", baseline " + jars.get(j), engineMs,
                            BIG / 1e3 / engineMs, rounded(e), pipeMs, BIG / 1e3 / pipeMs, rounded(pipe), pipeMs / engineMs,
                            CliBench.median(cpu.get(j * MODES.length + m)), rounded(cpu.get(j * MODES.length + m)));
                }
            }
            // --- 1 GB of output under a 64 MiB heap
            long hugeMs = -1;
            long logBytes = -1;
            if (part("huge")) {
                Path huge = workspace("(local ci (require :quire.ci))\n(ci.job :huge [:quire/push]\n"
                        + "  (fn [{: sh}] (let [r (sh \"yes '" + LINE + "' | head -c 1000000000\")] {:kept (length r.stdout)})))\n");
                hugeMs = runCli(huge, "agent", "-Xmx64m");
                logBytes = Files.size(huge.resolve("logs/jobs/huge/log.jsonl"));
                deleteTree(huge);
            }

            double cliPerSh = cli.isEmpty() ? 0 : CliBench.median(cli);
            for (int m = 0; m < MODES.length && part("persh"); m++) {
                System.out.printf("BENCH per-sh `true`, %s mode: engine median %.1f ms (sh-start to next sh-start, %d"
                        + " sh); `docker exec <id> true` CLI median %.1f ms; ratio engine/CLI = %.2f%n", MODES[m],
                        perSh[m][0], SH_COUNT - 1, cliPerSh, perSh[m][0] / cliPerSh);
                System.out.printf("BENCH per-sh `true` breakdown, %s mode: sh-start to sh-exit median %.1f ms (the"
                        + " exec's duration_ms %.1f), sh-exit to next sh-start %.1f ms; load %s%n", MODES[m],
                        perSh[m][2], perSh[m][3], perSh[m][4], CliBench.load());
                System.out.printf("BENCH run start to first sh running, %s mode: %.0f ms (java -jar quire-ci.jar run,"
                        + " JVM start, compile, container start%s)%n", MODES[m], perSh[m][1],
                        MODES[m].equals("agent") ? ", agent install and start" : "");
                System.out.printf("BENCH %d small sh (echo) in one run-fn, %s mode: whole run %d ms%n", SMALL_SH,
                        MODES[m], small[m]);
            }
            if (hugeMs >= 0) System.out.printf("BENCH 1 GB output with -Xmx64m (agent mode): completed in %d ms,"
                    + " job log %d MB (heap bounded: the"
                    + " JVM could never hold the output)%n", hugeMs, logBytes / 1_000_000);
        } finally {
            DockerTestSupport.runOk("docker", "rm", "-f", id);
        }
    }
}
