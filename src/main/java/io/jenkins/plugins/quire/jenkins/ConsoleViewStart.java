package io.jenkins.plugins.quire.jenkins;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * Whether a console view begins at the start of a line of the build log. The tail view ({@code /console}) starts
 * at a raw byte offset (the last {@code hudson.consoleTailKB}, 150 KB by default), usually in the middle of a line:
 * that first partial line may begin with marker characters that were text in the middle of a command's output line,
 * so {@link QuireConsoleAnnotator} must not style it. Known offsets: {@code /consoleFull} and a log shorter than the
 * tail start at 0, {@code progressiveHtml} at its {@code start} parameter; anything else is unknown and treated as
 * mid-line. Free of Hudson types, so it is unit-tested on plain files.
 */
final class ConsoleViewStart {
    /** Hudson's (and Jenkins') default of {@code hudson.consoleTailKB}. */
    static final long DEFAULT_TAIL_KB = 150;

    private ConsoleViewStart() {}

    /**
     * The byte offset the view of {@code uri} renders the log from, or -1 when unknown. {@code start} is the request's
     * {@code start} parameter (progressive rendering), {@code tailKB} the configured tail size.
     */
    static long offset(String uri, String start, long logLength, String tailKB) {
        if (uri == null) return -1;
        if (uri.endsWith("/consoleFull")) return 0;
        if (start != null) {
            try {
                return Long.parseLong(start.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        if (uri.endsWith("/console") || uri.endsWith("/console/")) {
            long kb = DEFAULT_TAIL_KB;
            try {
                if (tailKB != null) kb = Long.parseLong(tailKB.trim());
            } catch (NumberFormatException e) {
                kb = DEFAULT_TAIL_KB;
            }
            return Math.max(0, logLength - kb * 1024);
        }
        return -1;
    }

    /** True when {@code offset} is 0 or follows a newline of {@code log}; false when unknown (-1) or unreadable. */
    static boolean atLineStart(File log, long offset) {
        if (offset == 0) return true;
        if (offset < 0 || log == null) return false;
        try (RandomAccessFile f = new RandomAccessFile(log, "r")) {
            if (offset > f.length()) return false;
            f.seek(offset - 1);
            return f.read() == '\n';
        } catch (IOException e) {
            return false;
        }
    }
}
