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

    /** Makes room for {@code n} more bytes, so a caller can fill {@link #array()} and then {@link #setSize}. */
    void ensureFree(int n) {
        ensure(size + n);
    }

    /** Sets the size after the caller wrote into {@link #array()} directly (within the room made by ensureFree). */
    void setSize(int n) {
        if (n < 0 || n > bytes.length) throw new IndexOutOfBoundsException("size " + n + " of " + bytes.length);
        size = n;
    }

    /** Appends the ASCII characters of {@code s} (no other characters may be in it). */
    void appendAscii(String s) {
        int n = s.length();
        ensure(size + n);
        for (int i = 0; i < n; i++) bytes[size++] = (byte) s.charAt(i);
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
