package io.jenkins.plugins.quire.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Compares a build's {@code consoleText} with the command-line runner's output: cuts out the Quire CI part (from
 * {@code container started:} to the {@code Result:} line), removes the invisible line markers (two zero-width
 * characters opening a line, and on a job's line two more right after its {@code job |} column) and replaces
 * what differs between two runs of the same pipeline (container ids, durations, the summary's column padding). Test-side code on purpose: it must not reuse the plugin's own
 * marker parser, or a bug there would hide itself.
 */
final class ConsoleLines {
    /** A line marker: two invisible characters (Unicode format characters, or C0 controls) opening the line. */
    private static final Pattern MARKER = Pattern.compile("^[\\p{Cf}\u0001-\u001f][\\p{Cf}\u0001-\u001f]");
    /** The marker of a job line's own kind, after the column: {@code id<spaces> | } then two invisible characters. */
    private static final Pattern AFTER_COLUMN =
            Pattern.compile("^([A-Za-z0-9_.\u2026~-]{1,24} * \\| )[\\p{Cf}\u0001-\u001f][\\p{Cf}\u0001-\u001f]");
    private static final Pattern CONTAINER_ID = Pattern.compile("\\(([0-9a-f]{12})\\)");
    private static final Pattern DURATION = Pattern.compile("\\d+(\\.\\d+)? (ms|s)\\b|\\d+m \\d\\ds|\\d+h \\d\\dm");
    private static final Pattern SPACES = Pattern.compile(" {2,}");

    private ConsoleLines() {}

    /** The lines from {@code container started:} through {@code Result: ...}, each with its marker removed. */
    static List<String> quirePart(String text) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String raw : text.split("\n", -1)) {
            String line = unmark(raw);
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.startsWith("container started: ")) in = true;
            if (in) out.add(line);
            if (in && line.startsWith("Result: ")) break;
        }
        return out;
    }

    /** {@code raw} without its line markers. */
    private static String unmark(String raw) {
        String line = MARKER.matcher(raw).replaceFirst("");
        if (line.length() == raw.length()) return line; // unmarked (plain stdout or other output): nothing else to do
        return AFTER_COLUMN.matcher(line).replaceFirst("$1");
    }

    /** {@link #quirePart} with run-specific figures replaced by placeholders. */
    static List<String> normalized(String text) {
        List<String> out = new ArrayList<>();
        for (String line : quirePart(text)) {
            String l = CONTAINER_ID.matcher(line).replaceAll("(ID)");
            l = DURATION.matcher(l).replaceAll("T");
            out.add(SPACES.matcher(l).replaceAll("  "));
        }
        return out;
    }

    /**
     * Characters outside the line markers that a reader would not see: C0 controls other than tab and CR, and
     * Unicode format characters (zero width).
     */
    static List<String> invisibleOutsideMarkers(String text) {
        List<String> bad = new ArrayList<>();
        for (String raw : text.split("\n", -1)) {
            String line = unmark(raw);
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                boolean format = Character.getType(c) == Character.FORMAT;
                if ((c < 0x20 && c != '\t' && c != '\r') || format) bad.add(String.format("U+%04X in '%s'", (int) c, line));
            }
        }
        return bad;
    }
}
