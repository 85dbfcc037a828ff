package io.jenkins.plugins.quire.jenkins;

/**
 * Neutralises relayed text (command output, commands, error messages) before it enters the build log, so it can
 * neither forge a Quire marker nor a Hudson/Jenkins console note, and undoes that for plain-text comparison.
 *
 * <p>Escape points: the start of the text; every position after {@code \r} (current Jenkins also ends a line at a
 * lone {@code \r}) or after {@code \n} (never sent by the formatter; handled in case a caller does); every
 * position after {@code ESC[8m} (the first four characters of the console-note preamble {@code ESC[8mha:}). At an
 * escape point, {@code LEAD LEAD} ({@link ConsoleMarkers#LEAD}, {@link ConsoleMarkers#ESCAPED}) is inserted when the
 * following text starts with {@code LEAD} (it would read as a marker at the start of a line) or with {@code ha:} (it
 * would complete a note preamble). Only invisible format characters are inserted; the rest of the text is kept
 * as is (other ANSI codes included), so terminals show the line as the CLI does. {@link #unescape} removes exactly
 * one {@code LEAD LEAD} at each escape point, which makes the pair an exact inverse.
 *
 * <p>The common case costs one scan for {@code LEAD}, {@code \r}, {@code \n} and {@code ESC}, and no copy.
 */
public final class ConsoleLineEscaper {
    private static final char ESC = '\u001B';
    private static final String CONCEAL = ESC + "[8m";
    private static final String NOTE_TAIL = "ha:";

    private ConsoleLineEscaper() {
    }

    /** {@code text} made harmless for the build log (see class comment); the same instance when nothing applies. */
    public static String escape(String text) {
        if (!needsWork(text)) return text;
        StringBuilder out = new StringBuilder(text.length() + 8);
        int n = text.length();
        for (int i = 0; i <= n; i++) {
            if (isEscapePoint(text, i) && startsDangerous(text, i)) {
                out.append(ConsoleMarkers.LEAD).append(ConsoleMarkers.ESCAPED);
            }
            if (i < n) out.append(text.charAt(i));
        }
        return out.toString();
    }

    /** Inverse of {@link #escape} for the part of {@code line} from {@code from} (earlier characters dropped). */
    public static String unescape(String line, int from) {
        if (!needsWork(line)) return from == 0 ? line : line.substring(from);
        StringBuilder out = new StringBuilder(line.length());
        int n = line.length();
        int i = from;
        // escape points are judged on the unescaped text, which is what `out` holds
        while (i <= n) {
            if (isEscapePointOf(out) && i + 1 < n && line.charAt(i) == ConsoleMarkers.LEAD
                    && line.charAt(i + 1) == ConsoleMarkers.ESCAPED) {
                i += 2;
            }
            if (i < n) out.append(line.charAt(i));
            i++;
        }
        return out.toString();
    }

    private static boolean needsWork(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ConsoleMarkers.LEAD || c == '\r' || c == '\n' || c == ESC) return true;
        }
        return false;
    }

    /** Position {@code i} of the original text is an escape point. */
    private static boolean isEscapePoint(CharSequence s, int i) {
        if (i == 0) return true;
        char prev = s.charAt(i - 1);
        if (prev == '\r' || prev == '\n') return true;
        return i >= CONCEAL.length() && s.charAt(i - 1) == 'm' && s.charAt(i - 4) == ESC
                && CONCEAL.contentEquals(s.subSequence(i - 4, i));
    }

    private static boolean isEscapePointOf(StringBuilder unescapedSoFar) {
        return isEscapePoint(unescapedSoFar, unescapedSoFar.length());
    }

    private static boolean startsDangerous(String s, int i) {
        if (i >= s.length()) return false;
        return s.charAt(i) == ConsoleMarkers.LEAD || s.startsWith(NOTE_TAIL, i);
    }
}
