package io.jenkins.plugins.quire.jenkins;

/**
 * What one rendering of the Quire CI page may hold and read, shared by every job and {@code sh} block of the page,
 * so that a page's memory does not grow with the size of the logs (16 parallel views of a build with a 63 MB job
 * log used to exhaust the controller's heap): characters of text kept for display, {@code sh} blocks kept, and bytes
 * of log read. What does not fit is cut, and the page says so.
 */
final class PageBudget {
    /** Characters of output, commands, outputs and reasons one page keeps (about 8 MB of heap). */
    static final long CHARS = 4L << 20;
    /** {@code sh} blocks one page keeps (each costs a few hundred bytes even when empty). */
    static final int BLOCKS = 5000;
    /** {@code sh} calls one job shows on the timeline. */
    static final int SPANS_PER_JOB = 200;
    /** {@code sh} calls the whole timeline shows (each costs its command, at most {@link ShSpan#MAX_CMD_CHARS}). */
    static final int SPANS = 5000;
    /** Bytes of JSONL one page reads, over all its logs. */
    static final long BYTES = 1L << 30;

    private long chars;
    private int blocks;
    private long bytes;
    private int spans = SPANS;

    PageBudget() {
        this(CHARS, BLOCKS, BYTES);
    }

    PageBudget(long chars, int blocks, long bytes) {
        this.chars = chars;
        this.blocks = blocks;
        this.bytes = bytes;
    }

    /** Takes up to {@code wanted} characters; returns how many were granted. */
    long takeChars(long wanted) {
        long n = Math.max(0, Math.min(wanted, chars));
        chars -= n;
        return n;
    }

    /** Takes one {@code sh} block; false when the page holds as many as it may. */
    boolean takeBlock() {
        if (blocks <= 0) return false;
        blocks--;
        return true;
    }

    /** Takes one timeline span; false when the page shows as many as it may. */
    boolean takeSpan() {
        if (spans <= 0) return false;
        spans--;
        return true;
    }

    /** Bytes of log the page may still read. */
    long bytesLeft() {
        return bytes;
    }

    void spendBytes(long n) {
        bytes = Math.max(0, bytes - n);
    }

    /**
     * {@code text} cut to at most {@code max} characters and to what the budget grants; the cut text ends with a note
     * saying so, within the same length (when the grant is too small even for the note, just the granted prefix).
     */
    String clip(String text, int max) {
        if (text == null) return null;
        long granted = takeChars(Math.min(text.length(), max));
        if (granted == text.length()) return text;
        String note = "… (" + (text.length() - granted) + " more characters cut; see the raw log)";
        if (granted < note.length()) return text.substring(0, (int) granted);
        return text.substring(0, (int) granted - note.length()) + note;
    }

    /** {@code text} cut to {@code max} characters, outside any budget (problem lines: few, each bounded). */
    static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max) + "…";
    }

    /** True once something was refused for lack of characters or blocks. */
    boolean exhausted() {
        return chars == 0 || blocks == 0;
    }
}
