package io.jenkins.plugins.quire.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * One append-only JSONL file. Each line goes to the OS in a single unbuffered write (so a reader tailing the file
 * sees whole lines as soon as they are written). After a failed write or {@link #close} every further write throws
 * {@link LogWriteException} naming the file, and the lines already written stay untouched.
 */
final class JsonlFile {
    private final Path path;
    private OutputStream out;
    private IOException failure;

    /** How the file is created: {@link LogsFolder} creates it without following links. */
    interface Opener {
        OutputStream open() throws IOException;
    }

    /** Creates the file through {@code opener}; {@code path} is where it is, to name it in errors. */
    JsonlFile(Path path, Opener opener) {
        this.path = path;
        try {
            out = opener.open();
        } catch (IOException e) {
            failure = e;
            throw new LogWriteException(path, "cannot create it: "
                    + (e.getClass() == IOException.class ? e.getMessage() : e.toString()), e);
        }
    }

    Path path() {
        return path;
    }

    void append(ByteBuf line) {
        if (failure != null) throw new LogWriteException(path, "an earlier write failed: " + failure, failure);
        if (out == null) throw new LogWriteException(path, "the log is closed", null);
        try {
            out.write(line.array(), 0, line.size());
            out.flush();
        } catch (IOException e) {
            failure = e;
            throw new LogWriteException(path, e.toString(), e);
        }
    }

    void close() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            if (failure == null) failure = e;
            throw new LogWriteException(path, "close failed: " + e, e);
        } finally {
            out = null;
        }
    }
}
