package io.jenkins.plugins.quire.jenkins;

/**
 * Decides the markup of one marked console line (pure Java, no Hudson types, so it is unit-testable and the
 * annotator stays a thin adapter). Every tag is a compile-time constant: the line's text is never copied into
 * markup, it stays between the tags where Hudson's {@code MarkupText} escapes it. Every range lies inside the
 * line, so markup is balanced per line (a running build's console loads in pieces).
 *
 * <p>CSS classes (all {@code quire-} prefixed; see {@code QuireConsoleAnnotatorFactory/style.css}):
 * {@code quire-m} hidden marker; {@code quire-line} every styled line, plus one of {@code quire-job},
 * {@code quire-cmd}, {@code quire-err}, {@code quire-exit}, {@code quire-end}, {@code quire-sum}, {@code quire-info},
 * {@code quire-error}; outcome {@code quire-ok}/{@code quire-bad} (exit lines, result line),
 * {@code quire-succeeded}/{@code quire-failed}/{@code quire-skipped}/{@code quire-aborted}/{@code quire-unfinished}
 * (job ends, summary rows); inner spans {@code quire-state} (state word) and {@code quire-time} (duration); summary parts
 * {@code quire-sum-head}, {@code quire-sum-cols}, {@code quire-sum-result}; the {@code job |} column of a job's
 * line {@code quire-col} plus its palette place {@code quire-c0} to {@code quire-c5}.
 */
public final class ConsoleLineStyle {
    /** Receives one markup range; {@code hudson.MarkupText#addMarkup(int, int, String, String)} fits. */
    public interface Markup {
        void add(int start, int end, String startTag, String endTag);
    }

    public static final String CLOSE = "</span>";
    public static final String HIDE = "<span class=\"quire-m\" style=\"display:none\">";
    static final String JOB = "<span class=\"quire-line quire-job\">";
    static final String CMD = "<span class=\"quire-line quire-cmd\">";
    static final String ERR = "<span class=\"quire-line quire-err\">";
    static final String EXIT_OK = "<span class=\"quire-line quire-exit quire-ok\">";
    static final String EXIT_BAD = "<span class=\"quire-line quire-exit quire-bad\">";
    static final String END_SUCCEEDED = "<span class=\"quire-line quire-end quire-succeeded\">";
    static final String END_FAILED = "<span class=\"quire-line quire-end quire-failed\">";
    static final String END_SKIPPED = "<span class=\"quire-line quire-end quire-skipped\">";
    static final String END_ABORTED = "<span class=\"quire-line quire-end quire-aborted\">";
    static final String END_OTHER = "<span class=\"quire-line quire-end\">";
    static final String SUM = "<span class=\"quire-line quire-sum\">";
    static final String SUM_HEAD = "<span class=\"quire-line quire-sum quire-sum-head\">";
    static final String SUM_COLS = "<span class=\"quire-line quire-sum quire-sum-cols\">";
    static final String SUM_SUCCEEDED = "<span class=\"quire-line quire-sum quire-succeeded\">";
    static final String SUM_FAILED = "<span class=\"quire-line quire-sum quire-failed\">";
    static final String SUM_SKIPPED = "<span class=\"quire-line quire-sum quire-skipped\">";
    static final String SUM_ABORTED = "<span class=\"quire-line quire-sum quire-aborted\">";
    static final String SUM_UNFINISHED = "<span class=\"quire-line quire-sum quire-unfinished\">";
    static final String RESULT_OK = "<span class=\"quire-line quire-sum quire-sum-result quire-ok\">";
    static final String RESULT_BAD = "<span class=\"quire-line quire-sum quire-sum-result quire-bad\">";
    static final String INFO = "<span class=\"quire-line quire-info\">";
    static final String ERROR = "<span class=\"quire-line quire-error\">";
    static final String STATE = "<span class=\"quire-state\">";
    static final String TIME = "<span class=\"quire-time\">";

    /** Job columns, one per palette place of {@link ConsoleMarkers#JOB_COLOURS}: {@code quire-col quire-c<k>}. */
    private static final String[] COLUMNS = {
        "<span class=\"quire-col quire-c0\">", "<span class=\"quire-col quire-c1\">",
        "<span class=\"quire-col quire-c2\">", "<span class=\"quire-col quire-c3\">",
        "<span class=\"quire-col quire-c4\">", "<span class=\"quire-col quire-c5\">",
    };

    private ConsoleLineStyle() {
    }

    /**
     * Adds the markup for {@code line} (one console line, optionally ending in {@code \n}). Lines that do not start
     * with a marker get nothing; returns whether the line was a Quire line. A job line gets its column coloured,
     * then the rest of the line is styled as a line of its own.
     */
    public static boolean apply(String line, Markup out) {
        if (line.length() < 2 || line.charAt(0) != ConsoleMarkers.LEAD) return false;
        int rest = ConsoleMarkers.afterColumn(line);
        if (rest >= 0) {
            out.add(0, 2, HIDE, CLOSE);
            out.add(2, rest, column(ConsoleMarkers.paletteOf(line.charAt(1))), CLOSE);
            applyAt(line, rest, new Shifted(out, rest));
            return true;
        }
        return applyAt(line, 0, out);
    }

    /** The constant start tag of a job's column in palette place {@code palette}. */
    static String column(int palette) {
        return COLUMNS[palette];
    }

    /** Styles the old-grammar line that starts at {@code from} of {@code whole}; ranges relative to {@code from}. */
    private static boolean applyAt(String whole, int from, Markup out) {
        String line = whole.substring(from);
        if (line.length() < 2 || line.charAt(0) != ConsoleMarkers.LEAD) return false;
        char type = line.charAt(1);
        if (type != ConsoleMarkers.ESCAPED && !ConsoleMarkers.isStyledType(type)) return false;
        out.add(0, 2, HIDE, CLOSE);
        int end = line.length();
        while (end > 2 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) end--;
        if (type == ConsoleMarkers.ESCAPED || end == 2) return true;
        String body = line.substring(2, end);
        switch (type) {
            case ConsoleMarkers.JOB_START: out.add(2, end, JOB, CLOSE); break;
            case ConsoleMarkers.CMD: out.add(2, end, CMD, CLOSE); break;
            case ConsoleMarkers.STDERR: out.add(2, end, ERR, CLOSE); break;
            case ConsoleMarkers.EXIT: exit(body, out); break;
            case ConsoleMarkers.JOB_END: jobEnd(body, out); break;
            case ConsoleMarkers.SUMMARY: summary(body, out); break;
            case ConsoleMarkers.INFO: out.add(2, end, INFO, CLOSE); break;
            case ConsoleMarkers.ERROR: out.add(2, end, ERROR, CLOSE); break;
            default: break;
        }
        return true;
    }

    /** Moves every range of the rest of a job line by the width of its column. */
    private static final class Shifted implements Markup {
        private final Markup out;
        private final int by;

        Shifted(Markup out, int by) {
            this.out = out;
            this.by = by;
        }

        @Override
        public void add(int start, int end, String startTag, String endTag) {
            out.add(start + by, end + by, startTag, endTag);
        }
    }

    /** {@code exit N (T ms)}, {@code exit N (T ms), killed by S}, {@code killed by S (T ms)}. */
    private static void exit(String body, Markup out) {
        boolean ok = body.startsWith("exit 0 (") && body.indexOf(", killed by") < 0;
        out.add(2, 2 + body.length(), ok ? EXIT_OK : EXIT_BAD, CLOSE);
        int open = body.indexOf(" (");
        int close = open < 0 ? -1 : body.indexOf(')', open);
        if (close > 0 && body.startsWith(" ms)", close - 3)) out.add(2 + open + 1, 2 + close + 1, TIME, CLOSE);
    }

    /** {@code <== job <id> <state> (<duration>)[: <reason>]}. */
    private static void jobEnd(String body, Markup out) {
        String prefix = "<== job ";
        int idEnd = body.startsWith(prefix) ? body.indexOf(' ', prefix.length()) : -1;
        int stateEnd = idEnd < 0 ? -1 : body.indexOf(' ', idEnd + 1);
        String state = stateEnd < 0 ? "" : body.substring(idEnd + 1, stateEnd);
        String tag = "succeeded".equals(state) ? END_SUCCEEDED
                : "failed".equals(state) ? END_FAILED
                : "skipped".equals(state) ? END_SKIPPED
                : "aborted".equals(state) ? END_ABORTED : END_OTHER;
        out.add(2, 2 + body.length(), tag, CLOSE);
        if (tag == END_OTHER) return;
        out.add(2 + idEnd + 1, 2 + stateEnd, STATE, CLOSE);
        if (body.startsWith(" (", stateEnd)) {
            int close = body.indexOf(')', stateEnd);
            if (close > 0) out.add(2 + stateEnd + 1, 2 + close + 1, TIME, CLOSE);
        }
    }

    /** {@code Summary:}, the column header row, one row per job, {@code Result: STATUS (duration)}. */
    private static void summary(String body, Markup out) {
        String tag = SUM;
        if (body.equals("Summary:")) {
            tag = SUM_HEAD;
        } else if (body.startsWith("Result: ")) {
            tag = body.startsWith("Result: SUCCESS ") ? RESULT_OK : RESULT_BAD;
        } else if (body.startsWith("  ")) {
            String[] cells = body.trim().split(" +", 3);
            String state = cells.length > 1 ? cells[1] : "";
            if (cells[0].equals("job") && state.equals("state")) tag = SUM_COLS;
            else if (state.equals("succeeded")) tag = SUM_SUCCEEDED;
            else if (state.equals("failed")) tag = SUM_FAILED;
            else if (state.equals("skipped")) tag = SUM_SKIPPED;
            else if (state.equals("aborted")) tag = SUM_ABORTED;
            else if (state.equals("unfinished")) tag = SUM_UNFINISHED;
        }
        out.add(2, 2 + body.length(), tag, CLOSE);
    }
}
