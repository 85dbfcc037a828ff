package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.log.ConsoleSink;
import io.jenkins.plugins.quire.log.JobColumn;
import io.jenkins.plugins.quire.log.LineKind;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the engine's console lines into a Jenkins build log: each line as one UTF-8 write of
 * {@code [marker] neutralised-text \n}, flushed so the console is live. Markers ({@link ConsoleMarkers}) are
 * invisible Unicode format characters, so {@code consoleText} reads like the CLI output, while
 * {@link QuireConsoleAnnotatorFactory} styles the HTML console from them. Relayed text is neutralised by
 * {@link ConsoleLineEscaper} so command output cannot forge markers or console notes. A job's line starts with
 * its colour marker and its {@code job |} column, then carries the line's own marker and text
 * ({@link ConsoleMarkers}).
 */
public final class QuireConsoleSink implements ConsoleSink {
    private final PrintStream logger;

    /** {@code logger}: the build's {@code BuildListener.getLogger()}. */
    public QuireConsoleSink(PrintStream logger) {
        if (logger == null) throw new IllegalArgumentException("QuireConsoleSink: logger is null");
        this.logger = logger;
    }

    @Override
    public void line(LineKind kind, String text) {
        byte[] bytes = encode(kind, text);
        synchronized (logger) {
            logger.write(bytes, 0, bytes.length);
            logger.flush();
        }
    }

    @Override
    public void jobLine(LineKind kind, JobColumn column, String text) {
        byte[] bytes = render(kind, column, text).getBytes(StandardCharsets.UTF_8);
        synchronized (logger) {
            logger.write(bytes, 0, bytes.length);
            logger.flush();
        }
    }

    /** The exact characters written for one line of a job, {@code \n} included. */
    public static String render(LineKind kind, JobColumn column, String text) {
        return ConsoleMarkers.LEAD + "" + ConsoleMarkers.jobColour(column.index()) + column.text()
                + render(kind, text);
    }

    /** The exact bytes written for one line, {@code \n} included. */
    public static byte[] encode(LineKind kind, String text) {
        return render(kind, text).getBytes(StandardCharsets.UTF_8);
    }

    /** The exact characters written for one line, {@code \n} included. */
    public static String render(LineKind kind, String text) {
        String body = ConsoleLineEscaper.escape(text == null ? "" : text);
        char type = ConsoleMarkers.typeOf(kind);
        StringBuilder sb = new StringBuilder(body.length() + 3);
        if (type != 0) sb.append(ConsoleMarkers.LEAD).append(type);
        return sb.append(body).append('\n').toString();
    }
}
