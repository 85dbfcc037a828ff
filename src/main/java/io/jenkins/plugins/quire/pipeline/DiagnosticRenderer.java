package io.jenkins.plugins.quire.pipeline;

import java.util.List;

/**
 * Turns diagnostics into the text users read (CLI stderr, Jenkins console). Plain text, no colours, so it reads the
 * same in a terminal, a log file and a build console:
 *
 * <pre>
 * ci.fnl has errors
 *   ci.fnl:3: Job 'setup' has empty inputs. Pass [:quire/push] (or another trigger) so it has something to fire it.
 *      3 | (ci.job :setup [] (fn [] nil))
 *   ci.fnl:1:16: Parse error: expected closing delimiter )
 *      1 | (ci.job :a [:b]
 *        |                ^
 * </pre>
 */
final class DiagnosticRenderer {
    private DiagnosticRenderer() {}

    static String render(String fileName, String source, List<Diagnostic> diagnostics) {
        String[] lines = source == null ? new String[0] : source.split("\r?\n", -1);
        StringBuilder sb = new StringBuilder(fileName).append(" has errors");
        for (Diagnostic d : diagnostics) {
            sb.append('\n');
            String[] messageLines = d.located(fileName).split("\r?\n");
            sb.append("  ").append(messageLines[0]);
            if (quotable(lines, d.line())) {
                String text = lines[d.line() - 1];
                String gutter = String.format("%6d", d.line());
                sb.append('\n').append(gutter).append(" | ").append(text);
                if (d.column() >= 0) {
                    sb.append('\n').append(" ".repeat(gutter.length())).append(" | ")
                            .append(caretPad(text, d.column())).append('^');
                }
            }
            for (int related : d.relatedLines()) {
                if (related != d.line() && quotable(lines, related)) {
                    sb.append('\n').append(String.format("%6d", related)).append(" | ").append(lines[related - 1]);
                }
            }
            for (int i = 1; i < messageLines.length; i++) {
                if (!messageLines[i].isBlank()) sb.append("\n    ").append(messageLines[i].strip());
            }
        }
        return sb.toString();
    }

    private static boolean quotable(String[] lines, int line) {
        return line > 0 && line <= lines.length && !lines[line - 1].isBlank();
    }

    /** Spaces up to Fennel's 0-based column, keeping tabs so the caret lines up under tab-indented source. */
    private static String caretPad(String text, int column) {
        StringBuilder pad = new StringBuilder();
        for (int i = 0; i < column; i++) pad.append(i < text.length() && text.charAt(i) == '\t' ? '\t' : ' ');
        return pad.toString();
    }
}
