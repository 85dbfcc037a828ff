package io.jenkins.plugins.quire.run;

import java.nio.charset.StandardCharsets;

/**
 * The copy of one output stream that {@code sh} hands back to the script: only the last {@code capacity} bytes are
 * kept (the JSONL log keeps everything), and a marker line says how much was dropped. Memory stays bounded however
 * much a command prints, and grows with what it prints: most commands print little, and every {@code sh} has two of
 * these, so the full capacity is only taken once a stream has printed that much.
 */
public final class OutputTail {
    /** Default capacity per stream (docs/language.md: the last 1 MiB per stream). */
    public static final int DEFAULT_CAPACITY = 1 << 20;

    /** First size of the buffer once something is printed; it doubles up to the capacity. */
    static final int FIRST_SIZE = 512;
    private static final byte[] NOTHING = new byte[0];

    private final int capacity;
    /** Linear (bytes 0..total) while everything printed fits; a ring of exactly {@link #capacity} bytes after. */
    private byte[] ring = NOTHING;
    private long total;

    public OutputTail(int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("capacity must be positive");
        this.capacity = capacity;
    }

    /** The bytes this tail holds on to now (for tests of its footprint). */
    int retainedBytes() {
        return ring.length;
    }

    public void append(byte[] data, int off, int len) {
        if (len == 0) return;
        if (total + len <= capacity) { // all of it still fits: no ring yet, the buffer grows as needed
            int end = (int) total + len;
            if (end > ring.length) {
                byte[] n = new byte[Math.min(capacity, Math.max(end, Math.max(FIRST_SIZE, ring.length * 2)))];
                System.arraycopy(ring, 0, n, 0, (int) total);
                ring = n;
            }
            System.arraycopy(data, off, ring, (int) total, len);
            total = end;
            return;
        }
        if (ring.length < capacity) { // from now on a full ring; what is there sits where the ring expects it
            byte[] n = new byte[capacity];
            System.arraycopy(ring, 0, n, 0, (int) total);
            ring = n;
        }
        if (len >= ring.length) {
            System.arraycopy(data, off + len - ring.length, ring, 0, ring.length);
            total += len;
            // the ring now starts at index (total % capacity); rotate so the write position stays consistent
            int start = (int) (total % ring.length);
            if (start != 0) rotateLeft(ring.length - start);
            return;
        }
        int pos = (int) (total % ring.length);
        int first = Math.min(len, ring.length - pos);
        System.arraycopy(data, off, ring, pos, first);
        System.arraycopy(data, off + first, ring, 0, len - first);
        total += len;
    }

    private void rotateLeft(int by) {
        byte[] copy = ring.clone();
        for (int i = 0; i < ring.length; i++) ring[(i + ring.length - by) % ring.length] = copy[i];
    }

    public long totalBytes() {
        return total;
    }

    public boolean truncated() {
        return total > capacity;
    }

    /** The kept bytes as text (invalid UTF-8 replaced), preceded by a marker line when bytes were dropped. */
    public String text() {
        if (!truncated()) return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
        int start = (int) (total % ring.length);
        byte[] out = new byte[ring.length];
        System.arraycopy(ring, start, out, 0, ring.length - start);
        System.arraycopy(ring, 0, out, ring.length - start, start);
        int skip = 0; // do not start in the middle of a UTF-8 sequence
        while (skip < 3 && skip < out.length && (out[skip] & 0xC0) == 0x80) skip++;
        return "[quire: " + (total - ring.length + skip) + " earlier bytes not kept here; the job log has them all]\n"
                + new String(out, skip, out.length - skip, StandardCharsets.UTF_8);
    }
}
