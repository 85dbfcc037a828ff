package io.jenkins.plugins.quire.pipeline;

import java.util.List;
import java.util.Objects;

/**
 * One problem found while loading a pipeline, located in ci.fnl. A diagnostic carries the message text only (never
 * the file name) so that {@link PipelineException} can render all of them the same way.
 *
 * @param line    1-based ci.fnl line, or 0 when unknown (e.g. the file could not be read)
 * @param column  the column exactly as Fennel prints it (0-based), or -1 when unknown (only Fennel parse/compile
 *                errors know it)
 * @param message the message, possibly several lines (Fennel's "Try ..." hints)
 * @param relatedLines further ci.fnl lines the message is about, quoted after {@code line} (the other members of a
 *                cycle, as quire labels every member); empty for most diagnostics
 */
public record Diagnostic(int line, int column, String message, List<Integer> relatedLines) {
    /** The column of a diagnostic that has none. */
    public static final int NO_COLUMN = -1;

    public Diagnostic {
        Objects.requireNonNull(message, "message");
        if (line < 0) line = 0;
        if (column < 0) column = NO_COLUMN;
        relatedLines = relatedLines == null ? List.of() : List.copyOf(relatedLines);
    }

    /** A diagnostic with a line, a column and no related lines. */
    public Diagnostic(int line, int column, String message) {
        this(line, column, message, List.of());
    }

    /** A diagnostic with a line and no column. */
    public Diagnostic(int line, String message) {
        this(line, NO_COLUMN, message);
    }

    /** {@code <file>:<line>[:<column>]: <message>}, or {@code <file>: <message>} when the line is unknown. */
    public String located(String fileName) {
        StringBuilder sb = new StringBuilder(fileName);
        if (line > 0) {
            sb.append(':').append(line);
            if (column >= 0) sb.append(':').append(column);
        }
        return sb.append(": ").append(message).toString();
    }
}
