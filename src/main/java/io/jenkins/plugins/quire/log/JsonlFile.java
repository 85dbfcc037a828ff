package io.jenkins.plugins.quire.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;

/**
 * One append-only JSONL file. Lines are gathered in a buffer and go to the OS in one write when it holds
 * {@value #BUFFER} bytes or at {@link #flush} (the run's writer flushes whenever it has nothing more to write, and
 * after each event a caller waits for), so a reader tailing the file sees whole lines, and a burst of small events
 * costs one system call. After a failed write or {@link #close} every further write throws
 * {@link LogWriteException} naming the file, and the lines already written stay untouched.
 *
 * <p>The file is a channel opened relative to a directory handle ({@link LogsFolder}), and such a channel is closed
 * by an interrupt of the writing thread (an abort interrupts the job's thread): the interrupt flag is set aside
 * during a write, and a write cut by an interrupt anyway reopens the file the same safe way and completes the line.
 */
final class JsonlFile {
    private static final int REOPENS = 3;
    /** Lines held before they are written without waiting for a flush. */
    static final int BUFFER = 64 * 1024;

    private final Path path;
    private final Opener opener;
    private SeekableByteChannel ch;
    private long written;
    private boolean closed;
    private IOException failure;
    private final ByteBuf pending = new ByteBuf(BUFFER + 1024);

    /** How the file is opened: {@link LogsFolder} creates and reopens it without following links. */
    interface Opener {
        /** @param create true the first time (the file must not exist), false to reopen it for appending */
        SeekableByteChannel open(boolean create) throws IOException;
    }

    /** Creates the file through {@code opener}; {@code path} is where it is, to name it in errors. */
    JsonlFile(Path path, Opener opener) {
        this.path = path;
        this.opener = opener;
        try {
            ch = opener.open(true);
        } catch (IOException e) {
            failure = e;
            throw new LogWriteException(path, "cannot create it: "
                    + IoErrors.describe(e), e);
        }
    }

    Path path() {
        return path;
    }

    /** Adds one line (its {@code \n} included); it is written at the latest at the next {@link #flush}. */
    void append(ByteBuf line) {
        check();
        pending.append(line);
        if (pending.size() >= BUFFER) flush();
    }

    /** Writes the lines held so far; a failure throws here and again at every later write. */
    void flush() {
        if (pending.size() == 0) return; // nothing to write: an earlier failure was thrown where it happened
        check();
        boolean interrupted = Thread.interrupted();
        try {
            ByteBuffer buf = ByteBuffer.wrap(pending.array(), 0, pending.size());
            for (int reopened = 0; ; reopened++) {
                try {
                    while (buf.hasRemaining()) ch.write(buf);
                    break;
                } catch (ClosedByInterruptException e) {
                    interrupted |= Thread.interrupted();
                    if (reopened == REOPENS) throw e;
                    ch = opener.open(false);
                    long done = ch.size() - written; // the cut write may have landed in part or in full
                    if (done < 0 || done > pending.size()) throw new IOException("the file changed while being written");
                    buf.position((int) done);
                }
            }
            written += pending.size();
            pending.clear();
        } catch (IOException e) {
            failure = e;
            pending.clear(); // lost with the failure; what reached the file before stays
            throw new LogWriteException(path, IoErrors.describe(e), e);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void check() {
        if (failure != null) throw new LogWriteException(path, "an earlier write failed: " + failure, failure);
        if (closed) throw new LogWriteException(path, "the log is closed", null);
    }

    /** Writes what is held, then closes the file (closed even when that write fails, which is then thrown). */
    void close() {
        if (closed) return;
        LogWriteException lost = null;
        if (failure == null) {
            try {
                flush();
            } catch (LogWriteException e) {
                lost = e;
            }
        }
        closed = true;
        try {
            ch.close();
        } catch (IOException e) {
            if (failure == null) failure = e;
            throw new LogWriteException(path, "close failed: " + IoErrors.describe(e), e);
        }
        if (lost != null) throw lost;
    }
}
