package io.jenkins.plugins.quire.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * Why: the exec agent's stdin is fed by docker-java from an {@link InputStream} on its own thread, while the frames
 * come from the job threads. {@code PipedInputStream} cannot carry this: it fails once a thread that wrote to it has
 * ended ("write end dead"), and job threads end all the time. This is a plain blocking byte queue: writers append
 * whole frames under one lock (frames of different threads never interleave), the reader takes what is there, and
 * {@link #close()} ends the stream. Bounded: a writer waits while {@link #LIMIT} bytes are queued.
 */
final class AgentStdin extends InputStream {
    static final int LIMIT = 4 << 20;

    private final Object lock = new Object();
    private byte[] buf = new byte[8192];
    private int head;
    private int size;
    private boolean closed;

    /**
     * Queues one frame.
     * @throws IOException once the stream is closed (the agent is gone)
     */
    void write(byte[] frame) throws IOException {
        synchronized (lock) {
            while (!closed && size > 0 && size + frame.length > LIMIT) {
                try {
                    lock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while writing to the exec agent");
                }
            }
            if (closed) throw new IOException("the exec agent's input is closed");
            if (size + frame.length > buf.length) {
                byte[] n = new byte[Math.max(buf.length * 2, size + frame.length)];
                copyOut(n, 0, size);
                buf = n;
                head = 0;
            }
            int tail = (head + size) % buf.length;
            int first = Math.min(frame.length, buf.length - tail);
            System.arraycopy(frame, 0, buf, tail, first);
            System.arraycopy(frame, first, buf, 0, frame.length - first);
            size += frame.length;
            lock.notifyAll();
        }
    }

    private void copyOut(byte[] dst, int off, int n) {
        int first = Math.min(n, buf.length - head);
        System.arraycopy(buf, head, dst, off, first);
        System.arraycopy(buf, 0, dst, off + first, n - first);
    }

    @Override public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        synchronized (lock) {
            while (size == 0 && !closed) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for frames to send");
                }
            }
            if (size == 0) return -1;
            int n = Math.min(len, size);
            copyOut(b, off, n);
            head = (head + n) % buf.length;
            size -= n;
            lock.notifyAll();
            return n;
        }
    }

    @Override public int available() {
        synchronized (lock) {
            return size;
        }
    }

    /** Ends the stream: what is queued is still read, then end of file; writers fail from now on. */
    @Override public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}
