package io.jenkins.plugins.quire.pipeline;

import java.util.List;

/**
 * A pipeline that must not run (fail closed): holds every diagnostic found, and renders them the way
 * quire does, under one {@code <file> has errors} header, each located at its ci.fnl line with that source line
 * quoted (and a caret under the column for Fennel syntax errors).
 */
public final class PipelineException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String fileName;
    private final transient List<Diagnostic> diagnostics;
    private final String source;

    /**
     * @param fileName    the name shown in the header and in each location (e.g. {@code ci.fnl})
     * @param source      the ci.fnl text, for quoting lines; null when unavailable
     * @param diagnostics at least one diagnostic, in the order they were found
     */
    public PipelineException(String fileName, String source, List<Diagnostic> diagnostics) {
        super(DiagnosticRenderer.render(fileName, source, diagnostics));
        if (diagnostics.isEmpty()) throw new IllegalArgumentException("a PipelineException needs a diagnostic");
        this.fileName = fileName;
        this.source = source;
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** The file named in the header and locations. */
    public String fileName() {
        return fileName;
    }

    /** Every diagnostic, in the order found (definition errors in call order, then structure errors). */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** The ci.fnl text the diagnostics point into, or null. */
    public String source() {
        return source;
    }

    /** The diagnostics' messages only, without locations (handy for logs and tests). */
    public List<String> messages() {
        return diagnostics.stream().map(Diagnostic::message).toList();
    }
}
