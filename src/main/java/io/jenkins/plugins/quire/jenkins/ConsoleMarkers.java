package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.log.JobColumns;
import io.jenkins.plugins.quire.log.LineKind;

/**
 * The line-marker grammar of the Jenkins build console (docs/log-format.md, Console lines), shared by the
 * writer ({@link QuireConsoleSink}) and the renderer ({@link QuireConsoleAnnotator}).
 *
 * <p>A styled line starts with {@link #LEAD} (U+2063 INVISIBLE SEPARATOR) plus one <em>type character</em>. All
 * marker characters are Unicode format characters (category Cf, default-ignorable, zero width): browsers show
 * nothing for them in {@code consoleText} and terminals give them width 0, so {@code consoleText} reads exactly like
 * the CLI output. (The C0 control U+001E suggested by the reference is drawn as a visible box by Chromium in
 * {@code text/plain} and as {@code ^^} by {@code less}, so it was not used.) Each marker costs 6 bytes of UTF-8.
 * Stdout lines carry no marker. {@code LEAD LEAD} ({@link #ESCAPED}) is the neutralising escape: it is inserted, and
 * removed again by {@link #strip}, at every <em>escape point</em> of a relayed line (position 0, after a
 * {@code \r} or {@code \n}, after {@code ESC[8m}) whose following text could be read as a marker ({@code LEAD}) or
 * as a console note ({@code ha:}). See {@link ConsoleLineEscaper}. Every styled kind's text starts with ASCII written
 * by the formatter, so no type character sits next to arbitrary text.
 *
 * <p>A line that belongs to a job starts with {@code LEAD} plus a <em>colour character</em> ({@link #JOB_COLOURS},
 * the job's place in the run's palette), then the {@code job |} column as the formatter wrote it (job ids never
 * contain {@code |}, so the column ends at the first {@link JobColumns#SEPARATOR}), then the rest of the line in
 * the grammar above: a marker for its kind (none for stdout) and the neutralised text, whose first position is an
 * escape point again.
 *
 * <p>Pure Java: no Hudson types, so the grammar is testable without a server.
 */
public final class ConsoleMarkers {
    /** First character of every marker: U+2063 INVISIBLE SEPARATOR. */
    public static final char LEAD = '\u2063';
    /** Type character of the neutralising escape {@code LEAD LEAD} (an escaped stdout line, or mid-line). */
    public static final char ESCAPED = LEAD;

    /** {@code ==> job <id>}: U+2061 FUNCTION APPLICATION. */
    public static final char JOB_START = '\u2061';
    /** {@code $ <cmd>}: U+2062 INVISIBLE TIMES. */
    public static final char CMD = '\u2062';
    /** {@code exit <code> (<ms> ms)}: U+2064 INVISIBLE PLUS. */
    public static final char EXIT = '\u2064';
    /** {@code <== job <id> <state> ...}: U+2060 WORD JOINER. */
    public static final char JOB_END = '\u2060';
    /** {@code ! <stderr line>}: U+200B ZERO WIDTH SPACE. */
    public static final char STDERR = '\u200B';
    /** Summary table and result line: U+200C ZERO WIDTH NON-JOINER. */
    public static final char SUMMARY = '\u200C';
    /** Container started/ended: U+200D ZERO WIDTH JOINER. */
    public static final char INFO = '\u200D';
    /** Container died, error continuation lines: U+FEFF ZERO WIDTH NO-BREAK SPACE. */
    public static final char ERROR = '\uFEFF';

    /**
     * Colour characters of job lines, one per palette entry, in palette order: U+206A to U+206F, the deprecated
     * format characters (category Cf, default-ignorable, zero width, no effect on display).
     */
    static final String JOB_COLOURS = "\u206A\u206B\u206C\u206D\u206E\u206F";

    private ConsoleMarkers() {
    }

    /** The type character for {@code kind}, or {@code 0} when the kind is written without a marker (stdout). */
    public static char typeOf(LineKind kind) {
        switch (kind) {
            case JOB_START: return JOB_START;
            case CMD: return CMD;
            case STDOUT: return 0;
            case STDERR: return STDERR;
            case EXIT: return EXIT;
            case JOB_END: return JOB_END;
            case SUMMARY: return SUMMARY;
            case INFO: return INFO;
            case ERROR: return ERROR;
            default: return 0; // a kind added later is written unstyled (and still neutralised)
        }
    }

    /** True when {@code c} is one of the styled type characters (not {@link #ESCAPED}). */
    public static boolean isStyledType(char c) {
        return c == JOB_START || c == CMD || c == EXIT || c == JOB_END || c == INFO || c == STDERR
                || c == SUMMARY || c == ERROR;
    }

    /** The colour character of the job whose palette place is {@code index} (the palette cycles). */
    public static char jobColour(int index) {
        return JOB_COLOURS.charAt(Math.floorMod(index, JOB_COLOURS.length()));
    }

    /** The palette entry of colour character {@code c}, or -1 when it is not one. */
    public static int paletteOf(char c) {
        return JOB_COLOURS.indexOf(c);
    }

    /**
     * Where the rest of a job line begins (just after its column's separator), or -1 when {@code line} is not a job
     * line.
     */
    public static int afterColumn(String line) {
        if (line.length() < 2 || line.charAt(0) != LEAD || paletteOf(line.charAt(1)) < 0) return -1;
        int sep = line.indexOf(JobColumns.SEPARATOR, 2);
        return sep < 0 ? -1 : sep + JobColumns.SEPARATOR.length();
    }

    /**
     * The CLI text of one console line as written by {@link QuireConsoleSink} (without its {@code \n}): removes the
     * leading marker, then the {@code LEAD LEAD} escapes at escape points. This is the exact inverse of the sink, so
     * {@code strip(line written for text) == text} for every text.
     */
    public static String strip(String line) {
        int rest = afterColumn(line);
        if (rest >= 0) return line.substring(2, rest) + strip(line.substring(rest));
        int from = 0;
        if (line.length() >= 2 && line.charAt(0) == LEAD && isStyledType(line.charAt(1))) from = 2;
        return ConsoleLineEscaper.unescape(line, from);
    }
}
