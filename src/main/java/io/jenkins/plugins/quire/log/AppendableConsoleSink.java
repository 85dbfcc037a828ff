package io.jenkins.plugins.quire.log;

import java.io.Flushable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;

/**
 * The plain-text console sink (CLI): writes each line's text and {@code \n}; {@link #flush} (after each event, see
 * {@link ConsoleSink#flush}) flushes {@code out} when it is {@link Flushable}, so output is live without a system
 * call per line.
 */
public final class AppendableConsoleSink implements ConsoleSink {
    private final Appendable out;
    /** A job line's bytes, reused: output of millions of lines costs no string or array per line. */
    private final ByteBuf lineBytes = new ByteBuf(256);
    private JobColumn lastColumn;
    private byte[] lastColumnBytes;

    /** {@code out}: e.g. {@code System.out} or a {@code StringBuilder}. */
    public AppendableConsoleSink(Appendable out) {
        this.out = out;
    }

    @Override
    public void line(LineKind kind, String text) {
        if (out instanceof PrintStream ps) {
            write(ps, text + "\n");
            return;
        }
        try {
            out.append(text).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the console", e);
        }
    }

    @Override
    public void jobLine(LineKind kind, JobColumn column, String text) {
        jobLine(kind, column, text, 0, text.length());
    }

    @Override
    public void jobLine(LineKind kind, JobColumn column, String text, int start, int end) {
        if (!(out instanceof PrintStream ps)) {
            line(kind, column.text() + text.substring(start, end));
            return;
        }
        if (column != lastColumn) {
            lastColumn = column;
            lastColumnBytes = column.text().getBytes(StandardCharsets.UTF_8);
        }
        lineBytes.clear();
        lineBytes.append(lastColumnBytes);
        Utf8.encode(text, start, end, lineBytes);
        lineBytes.write('\n');
        ps.write(lineBytes.array(), 0, lineBytes.size());
    }

    /**
     * One line as one byte write: a PrintStream's own text path runs its charset encoder and buffers per call,
     * which costs more than the rest of the console for output of millions of short lines.
     */
    private static void write(PrintStream ps, String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        ps.write(b, 0, b.length);
    }

    @Override
    public void flush() {
        try {
            if (out instanceof Flushable f) f.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the console", e);
        }
    }
}
