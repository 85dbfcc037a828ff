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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The benchmarks' shared steps: a workspace with a ci.fnl, the packaged runner as a process, its JSONL, medians. */
final class CliBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CliBench() {}

    static Path workspace(String fnl) throws IOException {
        Path ws = Files.createTempDirectory("quire-bench-ws");
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), fnl);
        return ws;
    }

    /** Runs {@code quire-ci run} as a process (JVM options, then extra run options); returns its wall time in ms. */
    static long runCli(Path ws, List<String> jvmArgs, List<String> runArgs) throws Exception {
        return runCli(ws, jvmArgs, runArgs, Map.of());
    }

    /** As {@link #runCli(Path, List, List)} with extra environment variables (e.g. the values of secrets). */
    static long runCli(Path ws, List<String> jvmArgs, List<String> runArgs, Map<String, String> env)
            throws Exception {
        return runJar(System.getProperty("quire.jar"), ws, jvmArgs, runArgs, env);
    }

    /** As {@link #runCli(Path, List, List, Map)} with another runner jar (a baseline build to compare with). */
    static long runJar(String jar, Path ws, List<String> jvmArgs, List<String> runArgs, Map<String, String> env)
            throws Exception {
        return runCliMeasured(jar, ws, jvmArgs, runArgs, env).wallMs();
    }

    /** Wall time and the runner JVM's CPU time (user + system) of one run. */
    record Measured(long wallMs, long cpuMs) { }

    /**
     * As {@link #runCli(Path, List, List, Map)} with the runner {@code jar} (e.g. an older build, run side by side),
     * also measuring the JVM's CPU time (from bash's {@code times}, which counts the finished child), a figure that
     * depends much less on the machine's load than the wall time.
     */
    static Measured runCliMeasured(String jar, Path ws, List<String> jvmArgs, List<String> runArgs,
                                   Map<String, String> env) throws Exception {
        Path times = ws.resolve("times.txt");
        List<String> cmd = new ArrayList<>(List.of("bash", "-c",
                "\"$@\"; rc=$?; times > \"$QUIRE_BENCH_TIMES\"; exit $rc", "bash"));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar, "run", "--workspace", ws.toString(),
                "--image", DockerTestSupport.BUSYBOX, "--logs", "logs"));
        cmd.addAll(runArgs);
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ws.resolve("console.txt").toFile());
        pb.environment().putAll(env);
        pb.environment().put("QUIRE_BENCH_TIMES", times.toString());
        Process p = pb.start();
        p.waitFor(30, TimeUnit.MINUTES);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, p.exitValue(), () -> tail(ws.resolve("console.txt")));
        // second line: the children's user and system time, e.g. "0m5.123s 0m0.456s"
        String[] lines = Files.readString(times).strip().split("\n");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)m([\\d.]+)s").matcher(lines[lines.length - 1]);
        double cpu = 0;
        while (m.find()) cpu += Long.parseLong(m.group(1)) * 60_000 + Double.parseDouble(m.group(2)) * 1000;
        return new Measured(ms, Math.round(cpu));
    }

    /** The last 8 KiB of a file (a console can be gigabytes: never read it whole into a message). */
    static String tail(Path file) {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
            long from = Math.max(0, f.length() - 8192);
            byte[] b = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    static List<JsonNode> events(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) out.add(JSON.readTree(line));
        return out;
    }

    static long ts(JsonNode e) {
        return Instant.parse(e.get("ts").textValue()).toEpochMilli();
    }

    /** The machine's load averages (1, 5, 15 min), printed beside wall-clock figures. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    /** The machine's load averages (1, 5, 15 min) as /proc/loadavg gives them, to print beside a figure. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Wall time of a host command in ms (its output discarded). */
    static double timeCommand(String... cmd) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        p.waitFor(10, TimeUnit.MINUTES);
        assertEquals(0, p.exitValue(), String.join(" ", cmd));
        return (System.nanoTime() - t0) / 1e6;
    }

}
