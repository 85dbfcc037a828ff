package io.jenkins.plugins.quire.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;

/**
 * One append-only JSONL file. Each line goes to the OS in a single unbuffered write (so a reader tailing the file
 * sees whole lines as soon as they are written). After a failed write or {@link #close} every further write throws
 * {@link LogWriteException} naming the file, and the lines already written stay untouched.
 *
 * <p>The file is a channel opened relative to a directory handle ({@link LogsFolder}), and such a channel is closed
 * by an interrupt of the writing thread (an abort interrupts the job's thread): the interrupt flag is set aside
 * during a write, and a write cut by an interrupt anyway reopens the file the same safe way and completes the line.
 */
final class JsonlFile {
    private static final int REOPENS = 3;

    private final Path path;
    private final Opener opener;
    private SeekableByteChannel ch;
    private long written;
    private boolean closed;
    private IOException failure;

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

    void append(ByteBuf line) {
        if (failure != null) throw new LogWriteException(path, "an earlier write failed: " + failure, failure);
        if (closed) throw new LogWriteException(path, "the log is closed", null);
        boolean interrupted = Thread.interrupted();
        try {
            ByteBuffer buf = ByteBuffer.wrap(line.array(), 0, line.size());
            for (int reopened = 0; ; reopened++) {
                try {
                    while (buf.hasRemaining()) ch.write(buf);
                    break;
                } catch (ClosedByInterruptException e) {
                    interrupted |= Thread.interrupted();
                    if (reopened == REOPENS) throw e;
                    ch = opener.open(false);
                    long done = ch.size() - written; // the cut write may have landed in part or in full
                    if (done < 0 || done > line.size()) throw new IOException("the file changed while being written");
                    buf.position((int) done);
                }
            }
            written += line.size();
        } catch (IOException e) {
            failure = e;
            throw new LogWriteException(path, IoErrors.describe(e), e);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    void close() {
        if (closed) return;
        closed = true;
        try {
            ch.close();
        } catch (IOException e) {
            if (failure == null) failure = e;
            throw new LogWriteException(path, "close failed: " + IoErrors.describe(e), e);
        }
    }
}
