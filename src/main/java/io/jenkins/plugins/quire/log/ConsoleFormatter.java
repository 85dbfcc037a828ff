package io.jenkins.plugins.quire.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the (already redacted) log events into the human-readable console shared by the CLI and the Jenkins
 * console, one {@link LineKind}-tagged line at a time:
 * <pre>
 * container started: debian:bookworm (3f2a1b0c9d8e)     INFO
 * ==> job test                                          JOB_START
 * $ make test                                           CMD ("> " for further lines of a multi-line script)
 * ok 1                                                  STDOUT (verbatim)
 * ! warning: x                                          STDERR ("! " prefix)
 * exit 0 (1234 ms)                                      EXIT
 * <== job test succeeded (1.2 s)                        JOB_END (": reason" when failed or skipped)
 * container died: OOM                                   ERROR
 * Summary:                                              SUMMARY: header, one row per job, result line
 * </pre>
 * Output is split into lines per stream; a partial line waits for the rest of its line (or is completed at
 * {@code sh-exit}, {@code job-end} and {@code run-end}), and a line longer than {@value #MAX_LINE} characters is
 * cut so memory stays bounded. One trailing {@code \r} per line is dropped. Not thread-safe on its own;
 * {@link RunLog} calls listeners one at a time.
 */
public final class ConsoleFormatter implements LogListener {
    /** Longest partial line kept per stream before it is emitted anyway. */
    public static final int MAX_LINE = 64 * 1024;

    private final ConsoleSink sink;
    private final Map<String, StringBuilder[]> partial = new HashMap<>();
    private final Map<String, LogEvent.JobEnd> ended = new LinkedHashMap<>();
    private final List<String> started = new ArrayList<>();

    public ConsoleFormatter(ConsoleSink sink) {
        this.sink = sink;
    }

    @Override
    public void onEvent(String job, LogEvent e) {
        if (e instanceof LogEvent.Output o) {
            output(job, o);
        } else if (e instanceof LogEvent.ShStart s) {
            flush(job);
            command(s.cmd());
        } else if (e instanceof LogEvent.ShExit x) {
            flush(job);
            sink.line(LineKind.EXIT, exitLine(x));
        } else if (e instanceof LogEvent.JobStart j) {
            started.add(j.job());
            sink.line(LineKind.JOB_START, "==> job " + j.job());
        } else if (e instanceof LogEvent.JobEnd j) {
            flush(j.job());
            ended.put(j.job(), j);
            jobEnd(j);
        } else if (e instanceof LogEvent.ContainerStart c) {
            sink.line(LineKind.INFO, "container started: " + c.image() + " (" + shortId(c.containerId()) + ")");
        } else if (e instanceof LogEvent.ContainerDied d) {
            sink.line(LineKind.ERROR, "container died: " + oneLine(d.reason()));
        } else if (e instanceof LogEvent.ContainerEnd c) {
            sink.line(LineKind.INFO, "container ended: " + oneLine(c.status()));
        } else if (e instanceof LogEvent.RunEnd r) {
            for (String j : new ArrayList<>(partial.keySet())) flush(j);
            summary(r);
        }
    }

    private void output(String job, LogEvent.Output o) {
        StringBuilder[] bufs = partial.computeIfAbsent(String.valueOf(job), k -> new StringBuilder[2]);
        int i = o.stream().ordinal();
        if (bufs[i] == null) bufs[i] = new StringBuilder();
        StringBuilder b = bufs[i];
        String text = o.text();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            int room = MAX_LINE - b.length();
            if (end - start >= room) { // cut an overlong line
                b.append(text, start, start + room);
                emit(o.stream(), b);
                start += room;
                continue;
            }
            b.append(text, start, end);
            if (nl < 0) break;
            emit(o.stream(), b);
            start = nl + 1;
        }
    }

    /** {@code $ first line}, then {@code > next line} for each further line of a multi-line script. */
    private void command(String cmd) {
        List<String> lines = cmd.lines().toList();
        if (lines.isEmpty()) lines = List.of("");
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            sink.line(LineKind.CMD, (i == 0 ? "$ " : "> ") + l);
        }
    }

    private void flush(String job) {
        StringBuilder[] bufs = partial.get(String.valueOf(job));
        if (bufs == null) return;
        for (OutputKind k : OutputKind.values()) {
            StringBuilder b = bufs[k.ordinal()];
            if (b != null && b.length() > 0) emit(k, b);
        }
    }

    private void emit(OutputKind stream, StringBuilder b) {
        int len = b.length();
        if (len > 0 && b.charAt(len - 1) == '\r') len--;
        String line = b.substring(0, len);
        b.setLength(0);
        if (stream == OutputKind.STDOUT) sink.line(LineKind.STDOUT, line);
        else sink.line(LineKind.STDERR, "! " + line);
    }

    private void jobEnd(LogEvent.JobEnd j) {
        String head = "<== job " + j.job() + " " + j.state().wireName() + " (" + Durations.format(j.durationMs()) + ")";
        if (j.error() == null || j.error().isEmpty()) {
            sink.line(LineKind.JOB_END, head);
            return;
        }
        List<String> lines = j.error().lines().toList();
        sink.line(LineKind.JOB_END, head + ": " + (lines.isEmpty() ? "" : lines.get(0)));
        for (int i = 1; i < lines.size(); i++) sink.line(LineKind.ERROR, "    " + lines.get(i));
    }

    private void summary(LogEvent.RunEnd r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"job", "state", "duration", "reason"});
        for (LogEvent.JobEnd j : ended.values()) {
            rows.add(new String[] {j.job(), j.state().wireName(), Durations.format(j.durationMs()),
                    j.error() == null ? "" : oneLine(j.error())});
        }
        for (String s : started) {
            if (!ended.containsKey(s)) rows.add(new String[] {s, "unfinished", "-", ""});
        }
        int[] width = new int[3];
        for (String[] row : rows) for (int c = 0; c < 3; c++) width[c] = Math.max(width[c], row[c].length());
        sink.line(LineKind.SUMMARY, "Summary:");
        if (rows.size() == 1) {
            sink.line(LineKind.SUMMARY, "  (no jobs)");
        } else {
            for (String[] row : rows) {
                StringBuilder sb = new StringBuilder("  ");
                for (int c = 0; c < 3; c++) sb.append(pad(row[c], width[c])).append("  ");
                sb.append(row[3]);
                sink.line(LineKind.SUMMARY, sb.toString().stripTrailing());
            }
        }
        sink.line(LineKind.SUMMARY, "Result: " + r.status().name() + " (" + Durations.format(r.durationMs()) + ")");
    }

    private static String exitLine(LogEvent.ShExit x) {
        String took = " (" + x.durationMs() + " ms)";
        if (x.oom()) return (x.exit() == null ? "" : "exit " + x.exit() + took + ", ") + "killed by the kernel (out of memory)"
                + (x.exit() == null ? took : "");
        if (x.exit() == null) return "killed by " + (x.signal() == null ? "a signal" : x.signal()) + took;
        if (x.signal() != null) return "exit " + x.exit() + took + ", killed by " + x.signal();
        return "exit " + x.exit() + took;
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** First line only, with a marker when more lines followed (a console line never breaks). */
    private static String oneLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        if (nl < 0) return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        String first = s.substring(0, nl);
        if (first.endsWith("\r")) first = first.substring(0, first.length() - 1);
        return first + " …";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
