package io.jenkins.plugins.quire.log;

import java.io.OutputStream;
import java.util.Arrays;

/** A growable byte array with direct access, reused across chunks so the output path does not reallocate per event. */
final class ByteBuf extends OutputStream {
    private byte[] bytes;
    private int size;

    ByteBuf() {
        this(256);
    }

    ByteBuf(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    byte[] array() {
        return bytes;
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    /** Drops the first {@code n} bytes, keeping the rest at the start. */
    void dropFirst(int n) {
        System.arraycopy(bytes, n, bytes, 0, size - n);
        size -= n;
    }

    void append(ByteBuf other) {
        append(other.bytes, 0, other.size);
    }

    void append(byte[] b) {
        append(b, 0, b.length);
    }

    void append(byte[] b, int off, int len) {
        ensure(size + len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    @Override
    public void write(int b) {
        ensure(size + 1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        append(b, off, len);
    }

    private void ensure(int needed) {
        if (needed > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
    }
}
