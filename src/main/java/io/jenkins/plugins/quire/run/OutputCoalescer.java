package io.jenkins.plugins.quire.run;

import io.jenkins.plugins.quire.container.ExecListener;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gathers the small chunks an exec's output arrives in (Docker frames of a few KiB) into larger ones before they
 * become log events: one JSONL event, flushed to disk, per 64 KiB instead of per few KiB. Output still streams: what
 * is pending goes out within {@link #MAX_DELAY_MS}, when the other stream speaks (so stdout and stderr keep their
 * order), and at the end of the exec. A chunk of {@value #DIRECT_BYTES} bytes or more that arrives while nothing is
 * pending (the exec agent sends up to 64 KiB at once) is handed on at once, without being copied. Every chunk the
 * sink gets is its own to keep: the listener's fresh array, or the gathered bytes, never written to again. The
 * buffer is taken only when output needs it, and grows with it (every {@code sh} has a coalescer, most print little
 * or nothing).
 */
final class OutputCoalescer implements ExecListener, AutoCloseable {
    static final int MAX_BYTES = 64 * 1024;
    static final long MAX_DELAY_MS = 10;
    /** A chunk at least this large, arriving while nothing is pending, is handed on as it is. */
    static final int DIRECT_BYTES = 16 * 1024;

    /** Receives the coalesced chunks, in arrival order; it may keep {@code data} (nothing writes to it again). */
    interface Sink {
        void output(boolean stderr, byte[] data, int off, int len);
    }

    private final Sink sink;
    private final ScheduledExecutorService timer;
    /** First size of the buffer; it doubles up to {@link #MAX_BYTES}. */
    static final int FIRST_SIZE = 4096;

    /** The gathered bytes; replaced by a fresh array of the same size when handed on whole. */
    private byte[] buffer = new byte[0];
    private int size;
    private boolean pendingIsStderr;
    private ScheduledFuture<?> scheduled;

    OutputCoalescer(Sink sink, ScheduledExecutorService timer) {
        this.sink = sink;
        this.timer = timer;
    }

    @Override
    public void onStdout(byte[] data, int off, int len) {
        add(false, data, off, len);
    }

    @Override
    public void onStderr(byte[] data, int off, int len) {
        add(true, data, off, len);
    }

    private synchronized void add(boolean stderr, byte[] data, int off, int len) {
        if (size > 0 && pendingIsStderr != stderr) flush();
        pendingIsStderr = stderr;
        while (size == 0 && len >= DIRECT_BYTES) { // large already (the exec agent's frames): no copy, no wait
            int n = Math.min(len, MAX_BYTES);
            sink.output(stderr, data, off, n);
            off += n;
            len -= n;
        }
        while (len > 0) {
            int n = Math.min(len, MAX_BYTES - size);
            if (size + n > buffer.length) {
                byte[] b = new byte[Math.min(MAX_BYTES, Math.max(size + n, Math.max(FIRST_SIZE, buffer.length * 2)))];
                System.arraycopy(buffer, 0, b, 0, size);
                buffer = b;
            }
            System.arraycopy(data, off, buffer, size, n);
            size += n;
            off += n;
            len -= n;
            if (size == MAX_BYTES) flush();
        }
        if (size > 0 && scheduled == null) {
            scheduled = timer.schedule(this::flush, MAX_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Hands what is pending to the sink. */
    synchronized void flush() {
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
        if (size == 0) return;
        byte[] out;
        int n = size;
        if (n >= DIRECT_BYTES) {           // much gathered: hand the buffer itself on and gather into a new one
            out = buffer;
            buffer = new byte[buffer.length];
        } else {
            out = java.util.Arrays.copyOf(buffer, n);
        }
        size = 0;                          // first: a sink that throws leaves nothing half handed on
        sink.output(pendingIsStderr, out, 0, n);
    }

    /** The bytes of buffer held now (for tests of the footprint). */
    synchronized int bufferBytes() {
        return buffer.length;
    }

    /** The exec has ended: everything pending goes out now. */
    @Override
    public void close() {
        flush();
    }
}
