package io.jenkins.plugins.quire.pipeline;

import io.jenkins.plugins.quire.fennel.FennelCompileException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Fennel parse/compile error into a {@link Diagnostic}: the location moves into the diagnostic's line and
 * column, the message keeps Fennel's wording ({@code Parse error: expected closing delimiter )}) and its
 * {@code * Try ...} hints, and the quoted source line is dropped because the renderer quotes it itself.
 */
public final class FennelDiagnostics {
    /** What follows the file name: {@code :<line>:<col>: }, {@code :<line>: } or just {@code : }. */
    private static final Pattern LOCATION = Pattern.compile("^(?::(?:\\d+|\\?))?(?::(?:-?\\d+|\\?))?: ");

    private FennelDiagnostics() {}

    public static Diagnostic from(FennelCompileException e) {
        String message = e.getMessage() == null ? "compile error" : e.getMessage();
        String[] lines = message.split("\r?\n");
        String first = lines[0];
        String prefix = e.fileName() == null ? "" : e.fileName();
        if (!prefix.isEmpty() && first.startsWith(prefix)) {
            Matcher m = LOCATION.matcher(first.substring(prefix.length()));
            if (m.find()) first = first.substring(prefix.length() + m.end());
        }
        List<String> kept = new ArrayList<>();
        kept.add(first);
        String quoted = e.sourceLine() == null ? null : e.sourceLine().strip();
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            if (l.isBlank()) continue;
            if (quoted != null && !quoted.isEmpty() && l.strip().equals(quoted)) continue;
            kept.add(l);
        }
        return new Diagnostic(e.line(), e.column(), String.join("\n", kept));
    }
}
