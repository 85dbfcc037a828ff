package io.jenkins.plugins.quire.log;

/**
 * Where {@link ConsoleFormatter} sends finished lines. {@code text} never contains a line break; the sink adds its
 * own. The CLI prints the text as is ({@link AppendableConsoleSink}); the Jenkins console adds a marker per kind.
 * Calls come one at a time, but not always from the same thread (the formatter's partial-line timer writes too).
 */
@FunctionalInterface
public interface ConsoleSink {
    void line(LineKind kind, String text);

    /**
     * A line that belongs to a job: its {@code job |} column, then {@code text}. The plain form is the column's
     * text followed by {@code text}; a sink that styles columns (the Jenkins console colours each job) overrides it
     * and must keep that plain text.
     */
    default void jobLine(LineKind kind, JobColumn column, String text) {
        line(kind, column.text() + text);
    }

    /**
     * As {@link #jobLine(LineKind, JobColumn, String)} with the text {@code text[start, end)}: the formatter hands
     * over a whole output line straight from its chunk this way, so a sink that writes bytes can encode it without
     * a string per line.
     */
    default void jobLine(LineKind kind, JobColumn column, String text, int start, int end) {
        jobLine(kind, column, text.substring(start, end));
    }

    /**
     * As {@link #jobLine(LineKind, JobColumn, String)} with the text that the valid UTF-8 bytes
     * {@code utf8[start, end)} hold (only valid during the call): the formatter hands over a whole output line this
     * way straight from the bytes it was decoded from, so a sink that writes bytes copies it as it is.
     */
    default void jobLine(LineKind kind, JobColumn column, byte[] utf8, int start, int end) {
        jobLine(kind, column, new String(utf8, start, end - start, java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The lines so far must become visible now. {@link ConsoleFormatter} calls it after each event and each line
     * its timer writes, so a sink may gather the lines of one event (a 64 KiB output chunk holds hundreds) into one
     * write instead of writing each line on its own.
     */
    default void flush() {}
}
