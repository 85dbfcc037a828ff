package io.jenkins.plugins.quire.log;

import java.io.Flushable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;

/**
 * The plain-text console sink (CLI): writes each line's text and {@code \n}. Into a {@link PrintStream} the lines
 * are gathered as UTF-8 and written in one write at {@link #flush} (after each event, see
 * {@link ConsoleSink#flush}), or once {@value #MAX_PENDING} bytes are waiting: a 64 KiB chunk of output is one system
 * call, not one per line or per 8 KiB. Output lines that arrive as UTF-8 are copied as they are, with no string.
 */
public final class AppendableConsoleSink implements ConsoleSink {
    /** Bytes gathered before they are written without waiting for {@link #flush}. */
    static final int MAX_PENDING = 128 * 1024;

    private final Appendable out;
    /** The lines gathered for the PrintStream since the last write. */
    private final ByteBuf pending = new ByteBuf(4096);
    private JobColumn lastColumn;
    private byte[] lastColumnBytes;

    /** {@code out}: e.g. {@code System.out} or a {@code StringBuilder}. */
    public AppendableConsoleSink(Appendable out) {
        this.out = out;
    }

    @Override
    public void line(LineKind kind, String text) {
        if (out instanceof PrintStream) {
            Utf8.encode(text, 0, text.length(), pending);
            endLine();
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
        if (!(out instanceof PrintStream)) {
            line(kind, column.text() + text.substring(start, end));
            return;
        }
        pending.append(columnBytes(column));
        Utf8.encode(text, start, end, pending);
        endLine();
    }

    @Override
    public void jobLine(LineKind kind, JobColumn column, byte[] utf8, int start, int end) {
        if (!(out instanceof PrintStream)) {
            line(kind, column.text() + new String(utf8, start, end - start, StandardCharsets.UTF_8));
            return;
        }
        pending.append(columnBytes(column));
        pending.append(utf8, start, end - start);
        endLine();
    }

    private byte[] columnBytes(JobColumn column) {
        if (column != lastColumn) {
            lastColumn = column;
            lastColumnBytes = column.text().getBytes(StandardCharsets.UTF_8);
        }
        return lastColumnBytes;
    }

    private void endLine() {
        pending.write('\n');
        if (pending.size() >= MAX_PENDING) writePending((PrintStream) out);
    }

    private void writePending(PrintStream ps) {
        if (pending.size() == 0) return;
        ps.write(pending.array(), 0, pending.size());
        pending.clear();
    }

    @Override
    public void flush() {
        try {
            if (out instanceof PrintStream ps) writePending(ps);
            if (out instanceof Flushable f) f.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the console", e);
        }
    }
}
