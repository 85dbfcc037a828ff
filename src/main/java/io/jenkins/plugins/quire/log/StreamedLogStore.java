package io.jenkins.plugins.quire.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Why: on a Jenkins agent the run's JSONL files belong on the controller. This store writes nothing to the agent's
 * disk: every file operation becomes a {@link LogFrames} frame on one stream (a remoting stream to the controller,
 * where {@link LogStreamReceiver} writes the files). What reaches it is already redacted ({@link RunLog} redacts
 * before writing). Only the run's log writer thread writes; the frames are written under a lock anyway.
 */
public final class StreamedLogStore implements LogStore {
    private final OutputStream out;
    private final Path shownAs;
    private boolean closed;

    /**
     * @param out     where the frames go (closed by {@link #close})
     * @param shownAs the logs folder on the receiving side, named in error messages
     */
    public StreamedLogStore(OutputStream out, Path shownAs) {
        this.out = out;
        this.shownAs = shownAs;
    }

    @Override
    public Path directory() {
        return shownAs;
    }

    @Override
    public void declare(Collection<String> jobIds) throws IOException {
        jobIds.forEach(LogPaths::checkJobId);
        byte[] ids = String.join("\n", jobIds).getBytes(StandardCharsets.UTF_8);
        send(LogFrames.DECLARE, "", ids, 0, ids.length);
    }

    @Override
    public SeekableByteChannel openRunFile(boolean create) throws IOException {
        return open("", create);
    }

    @Override
    public SeekableByteChannel openJobFile(String id, boolean create) throws IOException {
        LogPaths.checkJobId(id);
        return open(id, create);
    }

    private SeekableByteChannel open(String key, boolean create) throws IOException {
        send(LogFrames.OPEN, key, new byte[] {(byte) (create ? 1 : 0)}, 0, 1);
        return new FrameChannel(key);
    }

    private synchronized void send(byte op, String key, byte[] b, int off, int len) throws IOException {
        if (closed) throw new ClosedChannelException();
        out.write(LogFrames.frame(op, key, b, off, len));
        out.flush();
    }

    /** Sends the end frame and closes the stream. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        try {
            send(LogFrames.END, "", new byte[0], 0, 0);
        } finally {
            closed = true;
            out.close();
        }
    }

    /** One file as frames: writes append, the size is what was written. */
    private final class FrameChannel implements SeekableByteChannel {
        private final String key;
        private long size;
        private boolean open = true;

        FrameChannel(String key) {
            this.key = key;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (!open) throw new ClosedChannelException();
            int n = src.remaining();
            byte[] b = new byte[n];
            src.get(b);
            send(LogFrames.WRITE, key, b, 0, n);
            size += n;
            return n;
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new NonReadableChannelException();
        }

        @Override
        public long position() {
            return size;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            throw new UnsupportedOperationException("a streamed log file is append-only");
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long s) {
            throw new UnsupportedOperationException("a streamed log file is append-only");
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            if (!open) return;
            open = false;
            synchronized (StreamedLogStore.this) {
                if (!closed) send(LogFrames.CLOSE, key, new byte[0], 0, 0);
            }
        }
    }
}
