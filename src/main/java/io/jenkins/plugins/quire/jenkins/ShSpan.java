package io.jenkins.plugins.quire.jenkins;

import java.time.Instant;

/**
 * When one {@code sh} of a job ran, for the page's timeline: its {@code sh-start} and {@code sh-exit} times, a short
 * form of its command for the tooltip and how it ended. Kept apart from {@link ShBlockView} (which holds output) so
 * the timeline can show blocks the page has no room to print, at a few dozen bytes each.
 */
public final class ShSpan {
    /** Longest command kept for the tooltip. */
    static final int MAX_CMD_CHARS = 200;

    private final int n;
    private String cmd;
    private Instant start;
    private Instant end;
    private String outcome = "running";
    private long durationMs;

    ShSpan(int n) {
        this.n = n;
    }

    public int getN() {
        return n;
    }

    /** The command, cut to {@link #MAX_CMD_CHARS}; null when the log has no {@code sh-start} for it. */
    public String getCmd() {
        return cmd;
    }

    /** The {@code sh-start} time; null when the log has none. */
    public Instant getStart() {
        return start;
    }

    /** The {@code sh-exit} time; null while it runs. */
    public Instant getEnd() {
        return end;
    }

    /** {@code ok}, {@code failed}, {@code killed} or {@code running}, as {@link ShBlockView#getOutcome()}. */
    public String getOutcome() {
        return outcome;
    }

    public long getDurationMs() {
        return durationMs;
    }

    void started(Instant ts, String cmd) {
        this.start = ts;
        this.cmd = PageBudget.cut(cmd, MAX_CMD_CHARS);
    }

    void exited(Instant ts, Integer exit, String signal, long durationMs) {
        this.end = ts;
        this.durationMs = durationMs;
        this.outcome = signal != null ? "killed" : exit != null && exit == 0 ? "ok" : "failed";
    }
}
