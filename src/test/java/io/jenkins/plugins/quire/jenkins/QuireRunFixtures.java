package io.jenkins.plugins.quire.jenkins;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Hand-written JSONL logs in the exact format of docs/log-format.md, for the Quire CI page tests: a finished run with a
 * succeeded, a failed and a skipped job (plus HTML payloads in every field that reaches the page), a run still
 * being written (ending in a torn line), and a run whose container died.
 */
final class QuireRunFixtures {
    static final String SCRIPT_PAYLOAD = "<script>alert('quire')</script>";
    static final String IMG_PAYLOAD = "\"><img src=x onerror=alert(1)>";

    private QuireRunFixtures() {}

    /** success of build, failure of test, deploy skipped; image, outputs, stderr, base64 output, a signal. */
    static void writeFinishedRun(Path logs) throws IOException {
        write(logs.resolve("log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.000Z\",\"kind\":\"container-start\",\"image\":\"debian:bookworm\",\"container-id\":\"c0ffee\"}",
                "{\"ts\":\"2026-11-29T20:00:00.100Z\",\"kind\":\"job-start\",\"job\":\"build\"}",
                "{\"ts\":\"2026-11-29T20:00:01.300Z\",\"kind\":\"job-end\",\"job\":\"build\",\"state\":\"succeeded\",\"duration_ms\":1200,"
                        + "\"outputs\":{\"tested\":\"abc123\",\"html\":" + json(IMG_PAYLOAD) + ",\"list\":[1,2]}}",
                "{\"ts\":\"2026-11-29T20:00:01.400Z\",\"kind\":\"job-start\",\"job\":\"test\"}",
                "{\"ts\":\"2026-11-29T20:00:03.400Z\",\"kind\":\"job-end\",\"job\":\"test\",\"state\":\"failed\",\"duration_ms\":2000,"
                        + "\"error\":" + json("ci.fnl:12: tests failed " + SCRIPT_PAYLOAD) + "}",
                "{\"ts\":\"2026-11-29T20:00:03.401Z\",\"kind\":\"job-end\",\"job\":\"deploy\",\"state\":\"skipped\",\"duration_ms\":0,"
                        + "\"error\":\"upstream 'test' failed\"}",
                "{\"ts\":\"2026-11-29T20:00:03.500Z\",\"kind\":\"container-end\",\"status\":\"removed\"}",
                "{\"ts\":\"2026-11-29T20:00:03.600Z\",\"kind\":\"run-end\",\"status\":\"failure\",\"duration_ms\":3600}");
        write(logs.resolve("jobs/build/log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.200Z\",\"kind\":\"sh-start\",\"n\":1,\"cmd\":\"make build\"}",
                "{\"ts\":\"2026-11-29T20:00:00.300Z\",\"kind\":\"stdout\",\"n\":1,\"data\":\"compiling\\n\"}",
                "{\"ts\":\"2026-11-29T20:00:00.400Z\",\"kind\":\"stderr\",\"n\":1,\"data\":\"warning: unused\\n\"}",
                "{\"ts\":\"2026-11-29T20:00:00.500Z\",\"kind\":\"stdout\",\"n\":1,\"data\":\"done\\n\"}",
                "{\"ts\":\"2026-11-29T20:00:01.000Z\",\"kind\":\"sh-exit\",\"n\":1,\"exit\":0,\"duration_ms\":800}",
                "{\"ts\":\"2026-11-29T20:00:01.100Z\",\"kind\":\"sh-start\",\"n\":2,\"cmd\":\"printf bytes\"}",
                "{\"ts\":\"2026-11-29T20:00:01.150Z\",\"kind\":\"stdout\",\"n\":2,\"data\":\""
                        + Base64.getEncoder().encodeToString(new byte[] {'o', 'k', (byte) 0xff, '\n'})
                        + "\",\"encoding\":\"base64\"}",
                "{\"ts\":\"2026-11-29T20:00:01.200Z\",\"kind\":\"sh-exit\",\"n\":2,\"exit\":0,\"duration_ms\":100}");
        write(logs.resolve("jobs/test/log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:01.500Z\",\"kind\":\"sh-start\",\"n\":1,\"cmd\":" + json("echo " + SCRIPT_PAYLOAD) + "}",
                "{\"ts\":\"2026-11-29T20:00:01.600Z\",\"kind\":\"stdout\",\"n\":1,\"data\":" + json(SCRIPT_PAYLOAD + "\n") + "}",
                "{\"ts\":\"2026-11-29T20:00:01.700Z\",\"kind\":\"stderr\",\"n\":1,\"data\":" + json(IMG_PAYLOAD + "\n") + "}",
                "{\"ts\":\"2026-11-29T20:00:02.000Z\",\"kind\":\"sh-exit\",\"n\":1,\"exit\":2,\"duration_ms\":500}",
                "{\"ts\":\"2026-11-29T20:00:02.100Z\",\"kind\":\"sh-start\",\"n\":2,\"cmd\":\"sleep 100\"}",
                "{\"ts\":\"2026-11-29T20:00:03.300Z\",\"kind\":\"sh-exit\",\"n\":2,\"exit\":137,\"duration_ms\":1200,\"signal\":\"KILL\"}");
    }

    /**
     * A diamond {@code a -> b, c -> d} with a {@code pipeline} event. Finished: b fails, so d is skipped, and b and c
     * overlap in time. Not finished: a succeeded, b and c are running (c mid-sh), d is pending. The source
     * quire/push has its job-start/job-end as the engine writes them.
     */
    static void writeDiamondRun(Path logs, boolean finished) throws IOException {
        String pipeline = "{\"ts\":\"2026-11-29T20:00:00.000Z\",\"kind\":\"pipeline\",\"jobs\":["
                + "{\"job\":\"a\",\"inputs\":[\"quire/push\"]},{\"job\":\"b\",\"inputs\":[\"a\"]},"
                + "{\"job\":\"c\",\"inputs\":[\"a\"]},{\"job\":\"d\",\"inputs\":[\"b\",\"c\"]}],\"parallel\":4}";
        java.util.List<String> run = new java.util.ArrayList<>(java.util.List.of(pipeline,
                "{\"ts\":\"2026-11-29T20:00:00.500Z\",\"kind\":\"container-start\",\"image\":\"quire-test:busybox\",\"container-id\":\"c1\"}",
                "{\"ts\":\"2026-11-29T20:00:00.600Z\",\"kind\":\"job-start\",\"job\":\"quire/push\"}",
                "{\"ts\":\"2026-11-29T20:00:00.700Z\",\"kind\":\"job-end\",\"job\":\"quire/push\",\"state\":\"succeeded\",\"duration_ms\":100}",
                "{\"ts\":\"2026-11-29T20:00:01.000Z\",\"kind\":\"job-start\",\"job\":\"a\"}",
                "{\"ts\":\"2026-11-29T20:00:02.000Z\",\"kind\":\"job-end\",\"job\":\"a\",\"state\":\"succeeded\",\"duration_ms\":1000}",
                "{\"ts\":\"2026-11-29T20:00:02.100Z\",\"kind\":\"job-start\",\"job\":\"b\"}",
                "{\"ts\":\"2026-11-29T20:00:02.200Z\",\"kind\":\"job-start\",\"job\":\"c\"}"));
        if (finished) {
            run.addAll(java.util.List.of(
                    "{\"ts\":\"2026-11-29T20:00:05.000Z\",\"kind\":\"job-end\",\"job\":\"b\",\"state\":\"failed\",\"duration_ms\":2900,\"error\":\"ci.fnl:9: boom\"}",
                    "{\"ts\":\"2026-11-29T20:00:06.000Z\",\"kind\":\"job-end\",\"job\":\"c\",\"state\":\"succeeded\",\"duration_ms\":3800}",
                    "{\"ts\":\"2026-11-29T20:00:06.001Z\",\"kind\":\"job-end\",\"job\":\"d\",\"state\":\"skipped\",\"duration_ms\":0,\"error\":\"upstream 'b' failed\"}",
                    "{\"ts\":\"2026-11-29T20:00:06.500Z\",\"kind\":\"container-end\",\"status\":\"removed\"}",
                    "{\"ts\":\"2026-11-29T20:00:07.000Z\",\"kind\":\"run-end\",\"status\":\"failure\",\"duration_ms\":7000}"));
        }
        write(logs.resolve("log.jsonl"), run.toArray(new String[0]));
        write(logs.resolve("jobs/a/log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:01.100Z\",\"kind\":\"sh-start\",\"n\":1,\"cmd\":\"make\"}",
                "{\"ts\":\"2026-11-29T20:00:01.900Z\",\"kind\":\"sh-exit\",\"n\":1,\"exit\":0,\"duration_ms\":800}");
        write(logs.resolve("jobs/b/log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:02.200Z\",\"kind\":\"sh-start\",\"n\":1,\"cmd\":" + json("echo " + SCRIPT_PAYLOAD) + "}",
                "{\"ts\":\"2026-11-29T20:00:02.300Z\",\"kind\":\"stdout\",\"n\":1,\"data\":" + json(SCRIPT_PAYLOAD + "\n") + "}",
                "{\"ts\":\"2026-11-29T20:00:04.900Z\",\"kind\":\"sh-exit\",\"n\":1,\"exit\":1,\"duration_ms\":2700}");
        if (finished) {
            write(logs.resolve("jobs/c/log.jsonl"),
                    "{\"ts\":\"2026-11-29T20:00:02.300Z\",\"kind\":\"sh-start\",\"n\":1,\"cmd\":\"sleep 3\"}",
                    "{\"ts\":\"2026-11-29T20:00:05.900Z\",\"kind\":\"sh-exit\",\"n\":1,\"exit\":0,\"duration_ms\":3600}");
        } else {
            write(logs.resolve("jobs/c/log.jsonl"),
                    "{\"ts\":\"2026-11-29T20:00:02.300Z\",\"kind\":\"sh-start\",\"n\":1,\"cmd\":\"sleep 3\"}");
        }
    }

    /** A run still being written: job a done, job b mid-sh, and a torn (half-written) last line in both files. */
    static void writeRunningRun(Path logs) throws IOException {
        write(logs.resolve("log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.000Z\",\"kind\":\"container-start\",\"image\":\"alpine:3\",\"container-id\":\"abc\"}",
                "{\"ts\":\"2026-11-29T20:00:00.100Z\",\"kind\":\"job-start\",\"job\":\"a\"}",
                "{\"ts\":\"2026-11-29T20:00:00.200Z\",\"kind\":\"job-end\",\"job\":\"a\",\"state\":\"succeeded\",\"duration_ms\":100,\"outputs\":{\"x\":1}}",
                "{\"ts\":\"2026-11-29T20:00:00.300Z\",\"kind\":\"job-start\",\"job\":\"b\"}");
        append(logs.resolve("log.jsonl"), "{\"ts\":\"2026-11-29T20:00:00.900Z\",\"kind\":\"job-e");
        write(logs.resolve("jobs/a/log.jsonl"));
        write(logs.resolve("jobs/b/log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.400Z\",\"kind\":\"sh-start\",\"n\":1,\"cmd\":\"./long-test.sh\"}",
                "{\"ts\":\"2026-11-29T20:00:00.500Z\",\"kind\":\"stdout\",\"n\":1,\"data\":\"step 1 of 3\\n\"}");
        append(logs.resolve("jobs/b/log.jsonl"), "{\"ts\":\"2026-11-29T20:00:00.600Z\",\"kind\":\"stdout\",\"n\":1,\"da");
    }

    /** The rest of {@link #writeRunningRun}: the torn lines are completed and the run ends. */
    static void finishRunningRun(Path logs) throws IOException {
        append(logs.resolve("log.jsonl"), "nd\",\"job\":\"b\",\"state\":\"succeeded\",\"duration_ms\":600}\n"
                + "{\"ts\":\"2026-11-29T20:00:01.000Z\",\"kind\":\"run-end\",\"status\":\"success\",\"duration_ms\":1000}\n");
        append(logs.resolve("jobs/b/log.jsonl"), "ta\":\"step 2 of 3\\n\"}\n"
                + "{\"ts\":\"2026-11-29T20:00:00.800Z\",\"kind\":\"sh-exit\",\"n\":1,\"exit\":0,\"duration_ms\":400}\n");
    }

    /** The container died under job a; job b was skipped. */
    static void writeContainerDiedRun(Path logs) throws IOException {
        write(logs.resolve("log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.000Z\",\"kind\":\"container-start\",\"image\":\"alpine:3\",\"container-id\":\"abc\"}",
                "{\"ts\":\"2026-11-29T20:00:00.100Z\",\"kind\":\"job-start\",\"job\":\"a\"}",
                "{\"ts\":\"2026-11-29T20:00:00.500Z\",\"kind\":\"container-died\",\"reason\":\"OOMKilled\"}",
                "{\"ts\":\"2026-11-29T20:00:00.600Z\",\"kind\":\"job-end\",\"job\":\"a\",\"state\":\"failed\",\"duration_ms\":500,\"error\":\"container died: OOMKilled\"}",
                "{\"ts\":\"2026-11-29T20:00:00.700Z\",\"kind\":\"job-end\",\"job\":\"b\",\"state\":\"skipped\",\"duration_ms\":0,\"error\":\"upstream 'a' failed\"}",
                "{\"ts\":\"2026-11-29T20:00:00.800Z\",\"kind\":\"run-end\",\"status\":\"container-died\",\"duration_ms\":800}");
        write(logs.resolve("jobs/a/log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.200Z\",\"kind\":\"sh-start\",\"n\":1,\"cmd\":\"eat-memory\"}");
    }

    /** A run log whose job id and image are HTML payloads (ids are validated by the engine; the page must not trust that). */
    static void writePayloadIdRun(Path logs) throws IOException {
        write(logs.resolve("log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.000Z\",\"kind\":\"container-start\",\"image\":" + json(IMG_PAYLOAD) + ",\"container-id\":\"x\"}",
                "{\"ts\":\"2026-11-29T20:00:00.100Z\",\"kind\":\"job-end\",\"job\":" + json(IMG_PAYLOAD) + ",\"state\":\"skipped\",\"duration_ms\":0,"
                        + "\"error\":" + json(SCRIPT_PAYLOAD) + "}",
                "{\"ts\":\"2026-11-29T20:00:00.200Z\",\"kind\":\"container-died\",\"reason\":" + json(SCRIPT_PAYLOAD) + "}",
                "{\"ts\":\"2026-11-29T20:00:00.300Z\",\"kind\":\"run-end\",\"status\":\"container-died\",\"duration_ms\":300}");
    }

    /**
     * A finished run whose job {@code big} ran {@code blocks} sh blocks, each printing {@code chunksPerBlock} stdout
     * chunks of 60,000 characters (odd chunks on stderr) then {@code END <n>}: streamed to disk, never held whole.
     */
    static void writeLargeOutputRun(Path logs, int blocks, int chunksPerBlock) throws IOException {
        write(logs.resolve("log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.100Z\",\"kind\":\"job-start\",\"job\":\"big\"}",
                "{\"ts\":\"2026-11-29T20:00:09.000Z\",\"kind\":\"job-end\",\"job\":\"big\",\"state\":\"succeeded\",\"duration_ms\":8900}",
                "{\"ts\":\"2026-11-29T20:00:09.100Z\",\"kind\":\"run-end\",\"status\":\"success\",\"duration_ms\":9000}");
        Path job = logs.resolve("jobs/big/log.jsonl");
        Files.createDirectories(job.getParent());
        String chunk = "x".repeat(60_000) + "\\n";
        try (java.io.Writer w = Files.newBufferedWriter(job, StandardCharsets.UTF_8)) {
            for (int n = 1; n <= blocks; n++) {
                w.write("{\"ts\":\"2026-11-29T20:00:00.200Z\",\"kind\":\"sh-start\",\"n\":" + n + ",\"cmd\":\"yes " + n + "\"}\n");
                for (int i = 0; i < chunksPerBlock; i++) {
                    w.write("{\"ts\":\"2026-11-29T20:00:00.300Z\",\"kind\":\"" + (i % 2 == 0 ? "stdout" : "stderr")
                            + "\",\"n\":" + n + ",\"data\":\"" + chunk + "\"}\n");
                }
                w.write("{\"ts\":\"2026-11-29T20:00:00.400Z\",\"kind\":\"stdout\",\"n\":" + n + ",\"data\":\"END " + n + "\\n\"}\n");
                w.write("{\"ts\":\"2026-11-29T20:00:00.500Z\",\"kind\":\"sh-exit\",\"n\":" + n + ",\"exit\":0,\"duration_ms\":10}\n");
            }
        }
    }

    static void write(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder s = new StringBuilder();
        for (String l : lines) s.append(l).append('\n');
        Files.write(file, s.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void append(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
    }

    /** A JSON string literal. */
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                default:
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
