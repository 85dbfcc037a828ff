package io.jenkins.plugins.quire.fennel;

/**
 * A Fennel file that could not be compiled: a parse or compile error in Fennel's own wording
 * ({@code ci.fnl:1:16: Parse error: expected closing delimiter )}), followed by the offending source line,
 * or a compilation stopped by the compile VM's budget. Carries the location so callers can point at it.
 */
public class FennelCompileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String fileName;
    private final int line;
    private final int column;
    private final String sourceLine;

    public FennelCompileException(String message, String fileName, int line, int column, String sourceLine) {
        super(message);
        this.fileName = fileName;
        this.line = line;
        this.column = column;
        this.sourceLine = sourceLine;
    }

    /** The file name the source was compiled under. */
    public String fileName() {
        return fileName;
    }

    /** 1-based line of the error, 0 when unknown. */
    public int line() {
        return line;
    }

    /** Column as Fennel reports it, -1 when unknown. */
    public int column() {
        return column;
    }

    /** The text of the offending source line, or null when the line is unknown. */
    public String sourceLine() {
        return sourceLine;
    }
}
