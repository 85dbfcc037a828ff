package io.jenkins.plugins.quire.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the (already redacted) log events into the human-readable console shared by the CLI and the Jenkins
 * console, one {@link LineKind}-tagged line at a time:
 * <pre>
 * container started: debian:bookworm (3f2a1b0c9d8e)     INFO
 * ==> job test                                          JOB_START
 * test  | $ make test                                   CMD ("> " for further lines of a multi-line script)
 * test  | ok 1                                          STDOUT (verbatim)
 * build | ! warning: x                                  STDERR ("! " prefix)
 * test  | exit 0 (1234 ms)                              EXIT
 * <== job test succeeded (1.2 s)                        JOB_END (": reason" when failed or skipped)
 * container died: OOM                                   ERROR
 * Summary:                                              SUMMARY: header, one row per job, result line
 * </pre>
 * Lines that belong to a job (commands, output, exit lines, further lines of a job's error) carry its
 * {@code job |} column ({@link JobColumns}, sized from the run's {@code pipeline} event) and go to
 * {@link ConsoleSink#jobLine}. Jobs run concurrently, so output of several jobs arrives interleaved: it is split
 * into lines per job and stream, and a partial line waits for the rest of its line, so lines never mix. It is
 * written without waiting further at its {@code sh-exit}, its job's end and the run's end, and by the timer
 * {@value #PARTIAL_WAIT_MS} ms after it began to wait, then with {@link #CONTINUED} at its end (the rest of the line
 * follows on a later line). A line longer than {@value #MAX_LINE} characters is cut so memory stays bounded. One
 * trailing {@code \r} per line is dropped.
 *
 * <p>The sink is flushed ({@link ConsoleSink#flush}) once after each event and after each timed line, not per line.
 *
 * <p>Thread-safe: events come from the run log's writer thread, timed flushes from the {@link FlushTimer}'s thread;
 * both take this formatter's own lock and then write to the sink. The timer path never waits for the run log, so
 * the two cannot deadlock.
 */
public final class ConsoleFormatter implements LogListener {
    /** Longest partial line kept per stream before it is emitted anyway. */
    public static final int MAX_LINE = 64 * 1024;
    /** How long a partial line waits for its newline before it is written with {@link #CONTINUED}. */
    public static final long PARTIAL_WAIT_MS = 200;
    /** Ends a partial line written before its newline arrived: the line goes on in a later line of the job. */
    public static final String CONTINUED = " \u21B5";

    private final Object lock = new Object();
    private final ConsoleSink sink;
    private final FlushTimer timer;
    private JobColumns columns = JobColumns.none();
    private final Map<String, Partial[]> partial = new LinkedHashMap<>();
    private final Map<String, LogEvent.JobEnd> ended = new LinkedHashMap<>();
    private final List<String> started = new ArrayList<>();

    /** A formatter whose partial lines are flushed by the JVM's shared {@link FlushTimer#system() timer}. */
    public ConsoleFormatter(ConsoleSink sink) {
        this(sink, FlushTimer.system());
    }

    /** A formatter whose partial-line flushes are scheduled on {@code timer}. */
    public ConsoleFormatter(ConsoleSink sink, FlushTimer timer) {
        if (sink == null || timer == null) throw new IllegalArgumentException("ConsoleFormatter: sink and timer are required");
        this.sink = sink;
        this.timer = timer;
    }

    @Override
    public void onEvent(String job, LogEvent e) {
        synchronized (lock) {
            dispatch(job, e);
            sink.flush();
        }
    }

    /**
     * Whole stdout lines go to the sink as the bytes they are ({@code \n} is never part of a multi-byte character,
     * so lines split on bytes as on characters). A line that completes one the stream was building, and whatever
     * follows the last line found (a partial line, or one too long to look for its end), take the text path.
     * Prints exactly what {@link #onEvent} prints for the event.
     */
    @Override
    public void onOutput(String job, LogEvent.Output o, byte[] utf8, int off, int len) {
        synchronized (lock) {
            Partial p = partialOf(job, o.stream());
            int end = off + len;
            int pos = off;
            if (p.stream == OutputKind.STDOUT && job != null) {
                while (pos < end) {
                    int nl = pos;
                    int stop = Math.min(end, pos + MAX_LINE); // a line of MAX_LINE bytes or more may be cut
                    while (nl < stop && utf8[nl] != '\n') nl++;
                    if (nl == stop) break;
                    if (p.text.length() > 0) {
                        output(p, new String(utf8, pos, nl + 1 - pos, StandardCharsets.UTF_8));
                    } else {
                        int lineEnd = nl > pos && utf8[nl - 1] == '\r' ? nl - 1 : nl;
                        p.generation++;
                        sink.jobLine(LineKind.STDOUT, columns.of(job), utf8, pos, lineEnd);
                    }
                    pos = nl + 1;
                }
            }
            if (pos < end) output(p, pos == off ? o.text() : new String(utf8, pos, end - pos, StandardCharsets.UTF_8));
            sink.flush();
        }
    }

    private void dispatch(String job, LogEvent e) {
        if (e instanceof LogEvent.Output o) {
            output(partialOf(job, o.stream()), o.text());
        } else if (e instanceof LogEvent.ShStart s) {
            flush(job);
            command(job, s.cmd());
        } else if (e instanceof LogEvent.ShExit x) {
            flush(job);
            jobLine(job, LineKind.EXIT, exitLine(x));
        } else if (e instanceof LogEvent.Pipeline p) {
            List<String> ids = new ArrayList<>();
            for (LogEvent.PipelineJob j : p.jobs()) ids.add(j.job());
            columns = JobColumns.of(ids);
        } else if (e instanceof LogEvent.JobStart j) {
            started.add(j.job());
            sink.line(LineKind.JOB_START, "==> job " + j.job());
        } else if (e instanceof LogEvent.JobEnd j) {
            flush(j.job());
            ended.put(j.job(), j);
            jobEnd(j);
        } else if (e instanceof LogEvent.ContainerStart c) {
            sink.line(LineKind.INFO, "container started: " + c.image() + " (" + shortId(c.containerId()) + ")");
        } else if (e instanceof LogEvent.CacheMount c) {
            sink.line(LineKind.INFO, "cache " + oneLine(c.path()) + ": " + (c.created() ? "new" : "reused") + " volume "
                    + oneLine(c.volume()) + (c.path().equals(c.mount()) ? "" : " at " + oneLine(c.mount())));
        } else if (e instanceof LogEvent.ExecMode m) {
            // only a fallback is worth a line: the agent, or plain execs asked for, are the expected cases
            if (m.reason() != null && !m.mode().equals("agent") && !m.reason().endsWith("was asked for"))
                sink.line(LineKind.INFO, "exec mode: " + m.mode() + " (" + oneLine(m.reason()) + ")");
        } else if (e instanceof LogEvent.ContainerDied d) {
            sink.line(LineKind.ERROR, "container died: " + oneLine(d.reason()));
        } else if (e instanceof LogEvent.ContainerEnd c) {
            sink.line(LineKind.INFO, "container ended: " + oneLine(c.status()));
        } else if (e instanceof LogEvent.RunEnd r) {
            for (String j : new ArrayList<>(partial.keySet())) flush(j);
            summary(r);
        }
    }

    private Partial partialOf(String job, OutputKind stream) {
        Partial[] bufs = partial.computeIfAbsent(String.valueOf(job), k -> new Partial[2]);
        int i = stream.ordinal();
        if (bufs[i] == null) bufs[i] = new Partial(job, stream);
        return bufs[i];
    }

    private void output(Partial p, String text) {
        String job = p.job;
        StringBuilder b = p.text;
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            int room = MAX_LINE - b.length();
            if (nl >= 0 && b.length() == 0 && end - start < room && p.stream == OutputKind.STDOUT && job != null) {
                wholeLine(p, text, start, end); // nothing waiting: the line goes out straight from the chunk
                start = nl + 1;
                continue;
            }
            if (end - start >= room) { // cut an overlong line
                b.append(text, start, start + room);
                emit(p, false);
                start += room;
                continue;
            }
            b.append(text, start, end);
            if (nl < 0) break;
            emit(p, false);
            start = nl + 1;
        }
        if (b.length() > 0 && p.pending == null) {
            long generation = p.generation;
            p.pending = timer.schedule(() -> timedFlush(p, generation), PARTIAL_WAIT_MS);
        }
    }

    /** The timer's flush: writes the line if it is still the one that started waiting (never takes RunLog's lock). */
    private void timedFlush(Partial p, long generation) {
        synchronized (lock) {
            if (p.generation != generation || p.text.length() == 0) return;
            p.pending = null; // this task is the pending one; it has run
            emit(p, true);
            sink.flush();
        }
    }

    /** {@code $ first line}, then {@code > next line} for each further line of a multi-line script. */
    private void command(String job, String cmd) {
        List<String> lines = cmd.lines().toList();
        if (lines.isEmpty()) lines = List.of("");
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            jobLine(job, LineKind.CMD, (i == 0 ? "$ " : "> ") + l);
        }
    }

    private void flush(String job) {
        Partial[] bufs = partial.get(String.valueOf(job));
        if (bufs == null) return;
        for (OutputKind k : OutputKind.values()) {
            Partial p = bufs[k.ordinal()];
            if (p != null && p.text.length() > 0) emit(p, false);
        }
    }

    /** A whole stdout line {@code text[start, end)} of a job, while {@code p} holds nothing (so no timer waits). */
    private void wholeLine(Partial p, String text, int start, int end) {
        if (end > start && text.charAt(end - 1) == '\r') end--;
        p.generation++;
        sink.jobLine(LineKind.STDOUT, columns.of(p.job), text, start, end);
    }

    /** Writes {@code p}'s line and empties it; {@code early} when its newline has not arrived yet. */
    private void emit(Partial p, boolean early) {
        StringBuilder b = p.text;
        int len = b.length();
        if (!early && len > 0 && b.charAt(len - 1) == '\r') len--;
        String line = b.substring(0, len);
        b.setLength(0);
        p.generation++;
        if (p.pending != null) {
            p.pending.cancel();
            p.pending = null;
        }
        if (early) line += CONTINUED;
        if (p.stream == OutputKind.STDOUT) jobLine(p.job, LineKind.STDOUT, line);
        else jobLine(p.job, LineKind.STDERR, "! " + line);
    }

    /** A line of {@code job} with its column (a plain line when the event names no job). */
    private void jobLine(String job, LineKind kind, String text) {
        if (job == null) sink.line(kind, text);
        else sink.jobLine(kind, columns.of(job), text);
    }

    private void jobEnd(LogEvent.JobEnd j) {
        String head = "<== job " + j.job() + " " + j.state().wireName() + " (" + Durations.format(j.durationMs()) + ")";
        if (j.error() == null || j.error().isEmpty()) {
            sink.line(LineKind.JOB_END, head);
            return;
        }
        List<String> lines = j.error().lines().toList();
        sink.line(LineKind.JOB_END, head + ": " + (lines.isEmpty() ? "" : lines.get(0)));
        for (int i = 1; i < lines.size(); i++) jobLine(j.job(), LineKind.ERROR, "    " + lines.get(i));
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

    /** The line a job's stream is building, and the timer that writes it early (guarded by the formatter's lock). */
    private static final class Partial {
        final String job;
        final OutputKind stream;
        final StringBuilder text = new StringBuilder();
        /** Counts lines written, so a timer scheduled for an earlier line does nothing. */
        long generation;
        FlushTimer.Pending pending;

        Partial(String job, OutputKind stream) {
            this.job = job;
            this.stream = stream;
        }
    }
}
