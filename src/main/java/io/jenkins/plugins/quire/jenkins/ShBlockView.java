package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.log.Durations;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One {@code sh} of a job as the Quire CI page shows it: command, interleaved stdout/stderr, exit code or signal,
 * duration. Built from the job's JSONL events by {@link JobLogReader}. Only a bounded window of the output is kept
 * for display: the first {@link #HEAD_CHARS} and the last {@link #TAIL_CHARS} characters, both within the page's
 * {@link PageBudget}; what lies between is cut and the page says how much (the raw log always has everything).
 */
public final class ShBlockView {
    /** Output characters kept from the start of an {@code sh}. */
    public static final int HEAD_CHARS = 64 * 1024;
    /** Output characters kept from the end of an {@code sh}. */
    public static final int TAIL_CHARS = 64 * 1024;
    /** Longest command shown. */
    public static final int MAX_CMD_CHARS = 8 * 1024;

    private final int n;
    private final PageBudget budget;
    private String cmd;
    private final List<OutputChunk> head = new ArrayList<>();
    private long headChars;
    private boolean headClosed;
    private final Deque<OutputChunk> tail = new ArrayDeque<>();
    private long tailChars;
    private long tailCap;
    private long cutChars;
    private long cutBytes;
    private boolean ended;
    private Integer exit;
    private String signal;
    private boolean oom;
    private long durationMs;

    ShBlockView(int n, String cmd) {
        this(n, cmd, new PageBudget());
    }

    ShBlockView(int n, String cmd, PageBudget budget) {
        this.n = n;
        this.budget = budget;
        started(cmd);
    }

    public int getN() {
        return n;
    }

    /** The command's display form (already redacted); null if the log has no {@code sh-start} for it. */
    public String getCmd() {
        return cmd;
    }

    /** Every output chunk kept, head then tail (use {@link #getHeadChunks}/{@link #getTailChunks} around the cut). */
    public List<OutputChunk> getChunks() {
        List<OutputChunk> all = new ArrayList<>(getHeadChunks());
        all.addAll(getTailChunks());
        return all;
    }

    /** Output kept from the start of the {@code sh}. */
    public List<OutputChunk> getHeadChunks() {
        return new ArrayList<>(head);
    }

    /** Output kept from the end of the {@code sh} (after the cut, if any). */
    public List<OutputChunk> getTailChunks() {
        trim();
        return new ArrayList<>(tail);
    }

    public boolean isHasOutput() {
        return !head.isEmpty() || !tail.isEmpty();
    }

    /** Characters of output left out of the page between head and tail. */
    public long getOmittedChars() {
        trim();
        return cutChars;
    }

    /** The size of what was cut, e.g. {@code 12.0 MiB} or {@code 900 bytes}. */
    public String getCutSize() {
        trim();
        if (cutBytes < 1024) return cutBytes + " bytes";
        if (cutBytes < 1024 * 1024) return String.format(java.util.Locale.ROOT, "%.1f KiB", cutBytes / 1024.0);
        return String.format(java.util.Locale.ROOT, "%.1f MiB", cutBytes / (1024.0 * 1024));
    }

    /** Characters of output (and command) this block holds for the page. */
    long retainedChars() {
        trim();
        return headChars + tailChars + (cmd == null ? 0 : cmd.length());
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
        this.cmd = budget.clip(cmd, MAX_CMD_CHARS);
    }

    void output(String stream, String text) {
        if (text.isEmpty()) return;
        int from = 0;
        if (!headClosed) {
            int room = (int) budget.takeChars(Math.min(HEAD_CHARS - headChars, text.length()));
            if (room > 0) {
                append(head, stream, text.substring(0, room));
                headChars += room;
                from = room;
            }
            if (from < text.length()) headClosed = true;
        }
        if (from == text.length()) return;
        String rest = from == 0 ? text : text.substring(from);
        tailChars += rest.length();
        if (tailCap < TAIL_CHARS && tailChars > tailCap) {
            tailCap += budget.takeChars(Math.min(TAIL_CHARS, tailChars) - tailCap);
        }
        if (tailCap == 0) {
            // nothing of the tail fits the page: count it as cut without keeping it
            cut(rest, 0, rest.length());
            tailChars -= rest.length();
            return;
        }
        append(tail, stream, rest);
        if (tailChars > 2 * tailCap) trim(); // amortised: cutting the head of the tail copies the kept part
    }

    private static void append(java.util.Collection<OutputChunk> chunks, String stream, String text) {
        OutputChunk last = chunks instanceof Deque ? ((Deque<OutputChunk>) chunks).peekLast()
                : chunks.isEmpty() ? null : ((List<OutputChunk>) chunks).get(chunks.size() - 1);
        if (last == null || !last.getStream().equals(stream)) {
            last = new OutputChunk(stream);
            chunks.add(last);
        }
        last.append(text);
    }

    private void trim() {
        while (tailChars > tailCap) {
            OutputChunk first = tail.peekFirst();
            long excess = tailChars - tailCap;
            if (first.length() <= excess) {
                tail.removeFirst();
                cut(first.getText(), 0, first.length());
                tailChars -= first.length();
            } else {
                String dropped = first.getText().substring(0, (int) excess);
                first.dropHead((int) excess);
                cut(dropped, 0, dropped.length());
                tailChars -= excess;
            }
        }
    }

    /** Counts {@code text[from, to)} as cut, in characters and UTF-8 bytes. */
    private void cut(String text, int from, int to) {
        cutChars += to - from;
        long bytes = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) bytes += 1;
            else if (c < 0x800) bytes += 2;
            else if (Character.isHighSurrogate(c)) bytes += 2; // with its low surrogate: 4
            else if (Character.isLowSurrogate(c)) bytes += 2;
            else bytes += 3;
        }
        cutBytes += bytes;
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
