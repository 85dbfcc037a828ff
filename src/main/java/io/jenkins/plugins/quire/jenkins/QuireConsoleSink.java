package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.log.ConsoleSink;
import io.jenkins.plugins.quire.log.JobColumn;
import io.jenkins.plugins.quire.log.LineKind;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the engine's console lines into a Jenkins build log as UTF-8 {@code [marker] neutralised-text \n}. Lines
 * are gathered and written to the log in one write per event ({@link #flush}, called by the console formatter after
 * each event), like the CLI console, so a chunk of hundreds of output lines costs one write, and the console stays
 * live. An error line is written at once, with what was gathered before it (the build step writes its own error
 * lines outside any event), and so is a gathering that reaches {@value #MAX_PENDING} bytes. Markers ({@link ConsoleMarkers}) are
 * invisible Unicode format characters, so {@code consoleText} reads like the CLI output, while
 * {@link QuireConsoleAnnotatorFactory} styles the HTML console from them. Relayed text is neutralised by
 * {@link ConsoleLineEscaper} so command output cannot forge markers or console notes. A job's line starts with
 * its colour marker and its {@code job |} column, then carries the line's own marker and text
 * ({@link ConsoleMarkers}).
 */
public final class QuireConsoleSink implements ConsoleSink {
    /** Bytes gathered before they are written without waiting for {@link #flush}. */
    static final int MAX_PENDING = 64 * 1024;

    private final PrintStream logger;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(MAX_PENDING + 1024);

    /** {@code logger}: the build's {@code BuildListener.getLogger()}. */
    public QuireConsoleSink(PrintStream logger) {
        if (logger == null) throw new IllegalArgumentException("QuireConsoleSink: logger is null");
        this.logger = logger;
    }

    @Override
    public void line(LineKind kind, String text) {
        add(kind, encode(kind, text));
    }

    @Override
    public void jobLine(LineKind kind, JobColumn column, String text) {
        add(kind, render(kind, column, text).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the gathered lines to the build log in one write and flushes it. */
    @Override
    public void flush() {
        synchronized (logger) {
            if (pending.size() > 0) {
                logger.write(pending.toByteArray(), 0, pending.size());
                pending.reset();
            }
            logger.flush();
        }
    }

    private void add(LineKind kind, byte[] bytes) {
        synchronized (logger) {
            pending.write(bytes, 0, bytes.length);
            if (kind == LineKind.ERROR || pending.size() >= MAX_PENDING) flush();
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
