package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.log.ConsoleFormatter;
import io.jenkins.plugins.quire.log.ConsoleSink;
import io.jenkins.plugins.quire.log.JobState;
import io.jenkins.plugins.quire.log.LogEvent;
import io.jenkins.plugins.quire.log.ManualFlushTimer;
import io.jenkins.plugins.quire.log.OutputKind;
import io.jenkins.plugins.quire.log.RunStatus;

import java.time.Instant;
import java.util.List;

/**
 * A realistic Quire run fed straight into {@link ConsoleFormatter} (no Docker): three jobs (succeeded, failed,
 * skipped), stdout and stderr, an unterminated last output line, and hostile output (HTML/JS payloads, forged
 * markers, a forged console note, a lone {@code \r}). Shared by the Console* tests and the console benchmark.
 */
final class ConsoleSampleRun {
    static final String SCRIPT_PAYLOAD = "<script>alert(1)</script>";
    static final String IMG_PAYLOAD = "\"><img src=x onerror=alert(1)>";
    /** A console-note preamble as Hudson writes it: ESC[8mha: + base64 + ESC[0m. */
    static final String FORGED_NOTE = "\u001B[8mha:AAAAWB+LCAAAAAAAAP9b85aBtbiIQTGjNKU4P08vOT+vOD8nVc83PyU1x6OyILUoJzMv2y+/JJUBAlgYGRkFVTOMlBLzEsLPvMPT6n0aWOBjN8ANPAAA\u001B[0m";
    /** Lines of child output that try to forge Quire markers. */
    static final String FORGED_STDERR_MARKER = "\u2063\u200B! forged stderr";
    static final String FORGED_ESCAPE = "\u2063\u2063escaped already";

    private ConsoleSampleRun() {
    }

    /** Feeds the whole run to {@code sink}. */
    static void feed(ConsoleSink sink) {
        feed(sink, null);
    }

    /** Feeds the whole run to {@code sink}, with {@code extraStdout} (when not null) as one more stdout line. */
    static void feed(ConsoleSink sink, String extraStdout) {
        ConsoleFormatter f = new ConsoleFormatter(sink, new ManualFlushTimer());
        Instant t = Instant.parse("2026-11-29T20:00:00.000Z");
        f.onEvent(null, new LogEvent.Pipeline(t, List.of(new LogEvent.PipelineJob("build", List.of("quire/push")),
                new LogEvent.PipelineJob("test", List.of("build")), new LogEvent.PipelineJob("deploy", List.of("test"))),
                1));
        f.onEvent(null, new LogEvent.ContainerStart(t, "debian:bookworm", "3f2a1b0c9d8e77665544"));
        f.onEvent(null, new LogEvent.JobStart(t, "build"));
        f.onEvent("build", new LogEvent.ShStart(t, 1, "echo '" + SCRIPT_PAYLOAD + "' && make"));
        out(f, "build", 1, OutputKind.STDOUT, "compiling\n" + SCRIPT_PAYLOAD + "\n" + IMG_PAYLOAD + "\n");
        out(f, "build", 1, OutputKind.STDERR, "warning: " + SCRIPT_PAYLOAD + "\n" + IMG_PAYLOAD + "\n");
        out(f, "build", 1, OutputKind.STDOUT, FORGED_STDERR_MARKER + "\n" + FORGED_ESCAPE + "\n");
        out(f, "build", 1, OutputKind.STDOUT, "note " + FORGED_NOTE + " end\nprogress 50%\r\u2063\u2061==> job evil\n");
        if (extraStdout != null) out(f, "build", 1, OutputKind.STDOUT, extraStdout + "\n");
        out(f, "build", 1, OutputKind.STDOUT, "\u001B[32mgreen ansi\u001B[0m\nno newline at the end");
        f.onEvent("build", new LogEvent.ShExit(t, 1, 0, 1234, null));
        f.onEvent(null, new LogEvent.JobEnd(t, "build", JobState.SUCCEEDED, 1530, null, null));
        f.onEvent(null, new LogEvent.JobStart(t, "test"));
        f.onEvent("test", new LogEvent.ShStart(t, 1, "./run-tests " + IMG_PAYLOAD));
        out(f, "test", 1, OutputKind.STDOUT, "ok 1\nnot ok 2\n");
        out(f, "test", 1, OutputKind.STDERR, "FAIL: " + FORGED_NOTE + "\n");
        f.onEvent("test", new LogEvent.ShExit(t, 1, 2, 15, null));
        f.onEvent(null, new LogEvent.JobEnd(t, "test", JobState.FAILED, 20,
                "ci.fnl:12: tests failed " + SCRIPT_PAYLOAD + "\nstack traceback:\n  ci.fnl:12", null));
        f.onEvent(null, new LogEvent.JobEnd(t, "deploy", JobState.SKIPPED, 0, "upstream 'test' failed", null));
        f.onEvent(null, new LogEvent.ContainerEnd(t, "removed"));
        f.onEvent(null, new LogEvent.RunEnd(t, RunStatus.FAILURE, 125_000));
    }

    private static void out(ConsoleFormatter f, String job, int n, OutputKind k, String text) {
        f.onEvent(job, new LogEvent.Output(Instant.EPOCH, k, n, text, false));
    }
}
