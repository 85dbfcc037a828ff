package io.jenkins.plugins.quire.log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSONL log back as {@link LogEvent}s in file order, also while it is still being written (the Jenkins
 * build page polls it). {@link #readNew} returns only newline-terminated lines and remembers its byte offset, so a
 * line being appended is picked up whole by a later call; {@link #readAll} reads a finished file and ignores a
 * torn last line (no newline and not parseable, i.e. a crash mid-write). A complete line that is not a valid event
 * is an error naming the file and line. A missing file reads as no events.
 */
public final class JsonlReader {
    private final Path file;
    private long offset;
    private long lineNumber;
    private byte[] pending = new byte[0];

    public JsonlReader(Path file) {
        this.file = file;
    }

    /** Reads a whole file; a torn last line is ignored. */
    public static List<LogEvent> readAll(Path file) throws IOException {
        JsonlReader r = new JsonlReader(file);
        List<LogEvent> events = r.readNew();
        LogEvent last = r.parsePendingIfComplete();
        if (last != null) events.add(last);
        return events;
    }

    /** Receives what {@link #scan} reads: each valid event, and a message per line it had to skip. */
    public interface Visitor {
        void event(LogEvent e);

        /** A line that was skipped, as {@code <file>:<line>: <why>}; the scan goes on after it. */
        void problem(String message);
    }

    /**
     * Streams {@code file} to {@code visitor} without holding more than one line ({@code maxLineBytes} at most) in
     * memory. Unlike {@link #readAll}, a complete line that is not a valid event, or is longer than
     * {@code maxLineBytes}, is reported to {@link Visitor#problem} and skipped, so the events around it are kept.
     * Reading stops after {@code maxBytes} (reported too). A torn last line is ignored; a missing file reads as no
     * events. Returns the number of bytes read.
     */
    public static long scan(Path file, int maxLineBytes, long maxBytes, Visitor visitor) throws IOException {
        long read = 0;
        long lineNumber = 0;
        byte[] line = new byte[Math.min(8192, Math.max(16, maxLineBytes))];
        int len = 0;
        boolean skipping = false;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while (read < maxBytes && (n = in.read(buf, 0, (int) Math.min(buf.length, maxBytes - read))) > 0) {
                read += n;
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        lineNumber++;
                        if (skipping) {
                            visitor.problem(file + ":" + lineNumber + ": the line is longer than " + maxLineBytes
                                    + " bytes; skipped");
                        } else {
                            int end = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
                            if (end > 0) scanLine(file, lineNumber, line, end, visitor);
                        }
                        skipping = false;
                        len = 0;
                    } else if (!skipping) {
                        if (len == maxLineBytes) {
                            skipping = true;
                            continue;
                        }
                        if (len == line.length) line = java.util.Arrays.copyOf(line, (int) Math.min(maxLineBytes, 2L * len));
                        line[len++] = b;
                    }
                }
            }
            if (read >= maxBytes && in.read() >= 0) {
                visitor.problem(file + ": read only the first " + maxBytes + " bytes of the log; the rest is skipped");
                return read;
            }
        } catch (NoSuchFileException e) {
            return read;
        }
        if (!skipping && len > 0 && !isBlank(java.util.Arrays.copyOf(line, len))) {
            try {
                visitor.event(EventCodec.decode(line, 0, len));
            } catch (IOException | RuntimeException torn) {
                // a torn last line: the writer is still writing it, or crashed mid-write
            }
        }
        return read;
    }

    private static void scanLine(Path file, long lineNumber, byte[] b, int len, Visitor visitor) {
        LogEvent e;
        try {
            e = EventCodec.decode(b, 0, len);
        } catch (IOException | RuntimeException ex) {
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage().lines().findFirst().orElse("");
            visitor.problem(file + ":" + lineNumber + ": not a valid log event, skipped: " + msg);
            return;
        }
        visitor.event(e);
    }

    /** Events of the complete lines appended since the previous call (all of them on the first call). */
    public List<LogEvent> readNew() throws IOException {
        byte[] fresh;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < offset) throw new IOException(file + ": the file shrank from " + offset + " to " + size + " B");
            int n = Math.toIntExact(size - offset);
            ByteBuffer buf = ByteBuffer.allocate(n);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) break;
            }
            fresh = new byte[buf.position()];
            buf.flip();
            buf.get(fresh);
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        }
        offset += fresh.length;
        byte[] data = concat(pending, fresh);
        List<LogEvent> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] != '\n') continue;
            lineNumber++;
            int end = i > start && data[i - 1] == '\r' ? i - 1 : i;
            if (end > start) out.add(parse(data, start, end - start));
            start = i + 1;
        }
        pending = java.util.Arrays.copyOfRange(data, start, data.length);
        return out;
    }

    /** Bytes consumed so far, including a pending incomplete line. */
    public long offset() {
        return offset;
    }

    /** The unterminated last line as an event if it parses (the writer finished it but no newline yet), else null. */
    private LogEvent parsePendingIfComplete() {
        if (pending.length == 0 || isBlank(pending)) return null;
        try {
            return EventCodec.decode(pending, 0, pending.length);
        } catch (IOException | RuntimeException e) {
            return null; // torn last line
        }
    }

    private LogEvent parse(byte[] b, int off, int len) throws LogReadException {
        try {
            return EventCodec.decode(b, off, len);
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new LogReadException(file, lineNumber, "not a valid log event: " + msg, e);
        }
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) if (x != ' ' && x != '\t' && x != '\r') return false;
        return true;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a.length == 0) return b;
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
