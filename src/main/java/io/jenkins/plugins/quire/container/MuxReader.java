package io.jenkins.plugins.quire.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * Why: Docker sends the output of a non-TTY exec or attach as one multiplexed stream: frames of an 8-byte header
 * (stream type, three zero bytes, big-endian unsigned payload length) and the payload. docker-java's reader hands it
 * on in pieces of at most 1 KiB, a callback and an allocation each (200,000 for 200 MB). This one reads up to
 * {@link #BUFFER} bytes at a time and hands each frame's payload on whole, as a slice of its buffer (a frame longer
 * than {@link #MAX_PIECE} in pieces of that size). A stream that ends inside a frame, or holds what is not a frame,
 * is a {@link MuxStreamException} saying where. No Docker types, no threads: {@link DockerStreams} feeds it.
 *
 * <p>A plain exec's output arrives as the command writes it, in frames of 4 to 32 KiB: read as it comes, 200 MB
 * wakes the reading thread some 15,000 times, and on two cores those wake-ups take the CPU from dockerd and the
 * shim that are copying the stream. With a {@code gather} pause, a read that found less than
 * {@value #GATHER_BELOW} bytes (the stream is not backed up) is followed by the pause before the next read, so the
 * next read takes what arrived meanwhile in one piece (docs/benchmarks.md: 0.80 to 0.93 of the pipe's speed).
 * Output is delayed by the pause at most, once per read.
 */
final class MuxReader {
    /** Bytes read at most per read call. */
    static final int BUFFER = 128 << 10;
    /** Longest slice handed on at once: a longer frame goes on in pieces of this size. */
    static final int MAX_PIECE = 64 << 10;
    static final int HEADER_BYTES = 8;
    /** A read of fewer bytes than this is followed by the gather pause, when there is one. */
    static final int GATHER_BELOW = 32 << 10;
    /** Longest error text of a system-error frame (type 3) that is kept for the message. */
    private static final int MAX_ERROR_TEXT = 4096;

    /** Receives each frame's payload (or piece of it) in stream order. */
    interface Sink {
        /**
         * @param b the reader's buffer: the bytes {@code b[off, off+len)} are valid only during the call (copy
         *          what is kept)
         */
        void output(boolean stderr, byte[] b, int off, int len);
    }

    /** The multiplexed stream is broken: truncated, or not made of frames. */
    static final class MuxStreamException extends IOException {
        private static final long serialVersionUID = 1L;

        MuxStreamException(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final Sink sink;
    private final byte[] buf;
    /** Runs before a read that follows a short one; null: read at once. */
    private final Runnable gather;
    private boolean lastReadShort;
    private int pos;
    private int lim;
    /** Stream offset of {@code buf[0]}, for messages. */
    private long base;
    private long frames;

    MuxReader(InputStream in, Sink sink) {
        this(in, sink, null);
    }

    /** @param gather run before each read that follows a read of fewer than {@link #GATHER_BELOW} bytes; or null */
    MuxReader(InputStream in, Sink sink, Runnable gather) {
        this(in, sink, BUFFER, gather);
    }

    /** With a buffer of {@code bufferBytes} (at least {@link #MAX_PIECE}): for tests of small reads. */
    MuxReader(InputStream in, Sink sink, int bufferBytes, Runnable gather) {
        if (bufferBytes < MAX_PIECE) throw new IllegalArgumentException("buffer of " + bufferBytes + " bytes");
        this.in = in;
        this.sink = sink;
        this.buf = new byte[bufferBytes];
        this.gather = gather;
    }

    /** A gather pause of {@code nanos} (an interrupt ends it early: the read after it then fails as it would). */
    static Runnable pause(long nanos) {
        return () -> LockSupport.parkNanos(nanos);
    }

    /**
     * Reads frames until the stream ends between two frames.
     * @throws MuxStreamException when it ends inside one, or holds an unknown stream type or Docker's error frame
     * @throws IOException what reading the stream threw
     */
    void readAll() throws IOException {
        while (true) {
            if (!fill(HEADER_BYTES)) {
                if (lim == pos) return;
                throw new MuxStreamException("the Docker stream ended inside a frame header (" + (lim - pos) + " of "
                        + HEADER_BYTES + " bytes) at byte " + (base + pos));
            }
            int type = buf[pos] & 0xff;
            long length = ((buf[pos + 4] & 0xffL) << 24) | ((buf[pos + 5] & 0xff) << 16) | ((buf[pos + 6] & 0xff) << 8)
                    | (buf[pos + 7] & 0xff);
            long at = base + pos;
            pos += HEADER_BYTES;
            frames++;
            boolean stderr;
            switch (type) {
                case 0:         // stdin: Docker's own demultiplexer writes it to stdout
                case 1:
                    stderr = false;
                    break;
                case 2:
                    stderr = true;
                    break;
                case 3:
                    throw new MuxStreamException("Docker reported an error in the stream: " + errorText(length));
                default:
                    throw new MuxStreamException(String.format("the Docker stream holds an unknown stream type 0x%02X"
                            + " at byte %d (not a multiplexed stream)", type, at));
            }
            long remaining = length;
            while (remaining > 0) {
                int piece = (int) Math.min(remaining, MAX_PIECE);
                if (!fill(piece)) {
                    throw new MuxStreamException("the Docker stream ended inside a" + (stderr ? " stderr" : " stdout")
                            + " frame (" + (length - remaining + (lim - pos)) + " of " + length
                            + " payload bytes) at byte " + (base + lim));
                }
                sink.output(stderr, buf, pos, piece);
                pos += piece;
                remaining -= piece;
            }
        }
    }

    /** Frames read so far (headers seen). */
    long frames() {
        return frames;
    }

    /** The text of Docker's system-error frame, read whole up to {@link #MAX_ERROR_TEXT} bytes. */
    private String errorText(long length) throws IOException {
        int n = (int) Math.min(length, MAX_ERROR_TEXT);
        if (!fill(n)) n = lim - pos;
        return new String(buf, pos, n, StandardCharsets.UTF_8).strip();
    }

    /**
     * Makes at least {@code n} bytes ({@code n <= MAX_PIECE}) available from {@code pos}, reading as much as the
     * buffer holds each time; false when the stream ends first.
     */
    private boolean fill(int n) throws IOException {
        if (lim - pos >= n) return true;
        if (pos == lim) {
            base += pos;
            pos = 0;
            lim = 0;
        } else if (pos + n > buf.length) {
            int have = lim - pos;
            System.arraycopy(buf, pos, buf, 0, have);
            base += pos;
            pos = 0;
            lim = have;
        }
        while (lim - pos < n) {
            if (lastReadShort && gather != null) gather.run();
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) return false;
            lim += r;
            lastReadShort = r < GATHER_BELOW;
        }
        return true;
    }
}
