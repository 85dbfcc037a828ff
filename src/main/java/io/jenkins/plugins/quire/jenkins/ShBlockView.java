package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.log.Durations;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One {@code sh} of a job as the Quire CI page shows it: command, interleaved stdout/stderr, exit code or signal,
 * duration. Built from the job's JSONL events by {@link JobLogReader}. Only the last {@link #MAX_SHOWN_CHARS}
 * characters of output are kept for display; the raw log always has everything.
 */
public final class ShBlockView {
    /** Output characters shown per {@code sh} (the tail); the rest is in the raw log. */
    public static final int MAX_SHOWN_CHARS = 256 * 1024;

    private final int n;
    private String cmd;
    private final Deque<OutputChunk> chunks = new ArrayDeque<>();
    private long shownChars;
    private long omittedChars;
    private boolean ended;
    private Integer exit;
    private String signal;
    private boolean oom;
    private long durationMs;

    ShBlockView(int n, String cmd) {
        this.n = n;
        this.cmd = cmd;
    }

    public int getN() {
        return n;
    }

    /** The command's display form (already redacted); null if the log has no {@code sh-start} for it. */
    public String getCmd() {
        return cmd;
    }

    public List<OutputChunk> getChunks() {
        trim();
        return new ArrayList<>(chunks);
    }

    public boolean isHasOutput() {
        return !chunks.isEmpty();
    }

    /** Characters of output left out of the page (the oldest ones). */
    public long getOmittedChars() {
        trim();
        return omittedChars;
    }

    /** True while no {@code sh-exit} has been logged yet. */
    public boolean isRunning() {
        return !ended;
    }

    public Integer getExit() {
        return exit;
    }

    public String getSignal() {
        return signal;
    }

    /** True when the kernel killed the command (or one of its processes) for lack of memory. */
    public boolean isOom() {
        return oom;
    }

    public long getDurationMs() {
        return durationMs;
    }

    public String getDuration() {
        return ended ? Durations.format(durationMs) : "";
    }

    /** {@code ok}, {@code failed}, {@code killed} or {@code running}: the CSS class of the block's result. */
    public String getOutcome() {
        if (!ended) return "running";
        if (signal != null) return "killed";
        return exit != null && exit == 0 ? "ok" : "failed";
    }

    /** e.g. {@code exit 0}, {@code exit 137, signal SIGKILL}, {@code exit 137, killed by the kernel (out of memory)}. */
    public String getResult() {
        if (!ended) return "running";
        StringBuilder s = new StringBuilder();
        s.append(exit == null ? "no exit code" : "exit " + exit);
        if (oom) s.append(", killed by the kernel (out of memory)");
        else if (signal != null) s.append(", signal ").append(signal);
        return s.toString();
    }

    void started(String cmd) {
        this.cmd = cmd;
    }

    void output(String stream, String text) {
        if (text.isEmpty()) return;
        OutputChunk last = chunks.peekLast();
        if (last == null || !last.getStream().equals(stream)) {
            last = new OutputChunk(stream);
            chunks.addLast(last);
        }
        last.append(text);
        shownChars += text.length();
        if (shownChars > 2L * MAX_SHOWN_CHARS) trim(); // amortised: cutting the head copies the kept tail
    }

    private void trim() {
        while (shownChars > MAX_SHOWN_CHARS) {
            OutputChunk first = chunks.peekFirst();
            long excess = shownChars - MAX_SHOWN_CHARS;
            if (first.length() <= excess) {
                chunks.removeFirst();
                shownChars -= first.length();
                omittedChars += first.length();
            } else {
                first.dropHead((int) excess);
                shownChars -= excess;
                omittedChars += excess;
            }
        }
    }

    void exited(Integer exit, String signal, long durationMs) {
        exited(exit, signal, durationMs, false);
    }

    void exited(Integer exit, String signal, long durationMs, boolean oom) {
        this.ended = true;
        this.oom = oom;
        this.exit = exit;
        this.signal = signal;
        this.durationMs = durationMs;
    }
}
