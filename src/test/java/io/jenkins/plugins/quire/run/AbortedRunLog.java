package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Why: the process tests of an abort (Ctrl-C/SIGTERM of the CLI, a JVM shutdown under a run) check the same record:
 * the pipeline {@link #PIPELINE} was aborted during its {@code sleep}, and the logs say so (docs/log-format.md).
 */
public final class AbortedRunLog {
    /** A running job ({@code long}, prints {@code started} then sleeps) and a pending one ({@code after}). */
    public static final String PIPELINE = "(local ci (require :quire.ci))\n"
            + "(ci.job :long [:quire/push] (fn [{: sh}] (sh \"echo started; sleep 30\") {:done true}))\n"
            + "(ci.job :after [:long] (fn [{: sh}] (sh \"echo after\") {:done true}))\n";

    private AbortedRunLog() {}

    /** Reads {@code p}'s stdout on a thread and returns once it printed {@code marker} on a line of its own. */
    public static StringBuilder awaitLine(Process p, String marker) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (out) {
                        out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && p.isAlive()) {
            synchronized (out) {
                if (("\n" + out).contains("\n" + marker + "\n")) return out;
            }
            Thread.sleep(50);
        }
        synchronized (out) {
            throw new AssertionError("never printed " + marker + ":\n" + out);
        }
    }

    /** Checks the logs in {@code logs} of {@link #PIPELINE} aborted during {@code sleep 30}. */
    public static void assertAborted(Path logs, String console) throws IOException {
        List<JsonNode> run = events(logs.resolve("log.jsonl"));
        String all = run.toString();
        assertEquals("aborted", state(run, "long"), "the running job ends aborted: " + all + "\n" + console);
        assertEquals("skipped", state(run, "after"), "the pending job ends skipped: " + all);
        assertFalse(all.contains("container-died"), "an abort is no container death: " + all + "\n" + console);
        JsonNode end = run.get(run.size() - 1);
        assertEquals("run-end", end.get("kind").asText(), all);
        assertEquals("aborted", end.get("status").asText(), all);
        List<JsonNode> job = events(logs.resolve("jobs/long/log.jsonl"));
        JsonNode exit = job.stream().filter(e -> e.get("kind").asText().equals("sh-exit")).findFirst().orElseThrow();
        assertTrue(exit.hasNonNull("signal"), "sh-exit of the killed sleep has its signal: " + job);
        assertFalse(Files.exists(logs.resolve("jobs/after/log.jsonl")), "the pending job never ran");
    }

    private static String state(List<JsonNode> run, String job) {
        for (JsonNode e : run) {
            boolean end = e.get("kind").asText().equals("job-end") && e.get("job").asText().equals(job);
            if (end) return e.get("state").asText();
        }
        return "(no job-end)";
    }

    private static List<JsonNode> events(Path file) throws IOException {
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) if (!line.isBlank()) out.add(m.readTree(line));
        return out;
    }
}
