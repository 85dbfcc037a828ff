package io.jenkins.plugins.quire.log;

/**
 * Strict UTF-8 checks on byte ranges (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), used to
 * decide whether an output chunk is written as text or as base64, and to find a character cut by the chunk end.
 */
final class Utf8 {
    private Utf8() {}

    /** Index of the first byte of the first invalid or incomplete sequence in {@code b[from, end)}, or -1. */
    static int firstInvalid(byte[] b, int from, int end) {
        int i = from;
        while (i < end) {
            if (b[i] >= 0) {
                i++;
                continue;
            }
            int len = sequenceLength(b, i, end);
            if (len <= 0) return i;
            i += len;
        }
        return -1;
    }

    /**
     * Where a trailing incomplete-but-valid-so-far sequence starts (at most 3 bytes before {@code end}), or
     * {@code end} when the range does not end inside a character.
     */
    static int incompleteTailStart(byte[] b, int from, int end) {
        int j = end - 1;
        int stop = Math.max(from, end - 3);
        while (j >= stop && (b[j] & 0xC0) == 0x80) j--; // skip continuation bytes
        if (j < stop || b[j] >= 0) return end;
        return sequenceLength(b, j, end) == 0 ? j : end;
    }

    /**
     * Length of the multi-byte sequence starting at {@code b[i]} (a non-ASCII byte): 2–4 when complete and valid,
     * 0 when valid so far but cut by {@code end}, -1 when invalid.
     */
    private static int sequenceLength(byte[] b, int i, int end) {
        int c = b[i] & 0xff;
        int need;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c == 0xE0) {
            need = 2;
            lo = 0xA0;
        } else if (c == 0xED) {
            need = 2;
            hi = 0x9F;
        } else if (c >= 0xE1 && c <= 0xEF) {
            need = 2;
        } else if (c == 0xF0) {
            need = 3;
            lo = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3) {
            need = 3;
        } else if (c == 0xF4) {
            need = 3;
            hi = 0x8F;
        } else {
            return -1;
        }
        for (int k = 1; k <= need; k++) {
            if (i + k >= end) return 0;
            int d = b[i + k] & 0xff;
            if (k == 1 ? (d < lo || d > hi) : (d & 0xC0) != 0x80) return -1;
        }
        return need + 1;
    }

    /**
     * Appends {@code s[start, end)} as UTF-8 (an unpaired surrogate, which has no UTF-8 form, as U+FFFD, where
     * {@link String#getBytes} would write {@code ?}).
     */
    static void encode(String s, int start, int end, ByteBuf out) {
        out.ensureFree((end - start) * 3);
        char[] cs = chars(s, start, end);
        int n = end - start;
        byte[] a = out.array();
        int o = out.size();
        for (int i = 0; i < n; i++) {
            char c = cs[i];
            if (c < 0x80) {
                a[o++] = (byte) c;
            } else if (c < 0x800) {
                a[o++] = (byte) (0xC0 | c >> 6);
                a[o++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(cs[i + 1])) {
                o = putFour(a, o, Character.toCodePoint(c, cs[++i]));
            } else {
                o = putThree(a, o, Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        out.setSize(o);
    }

    private static final ThreadLocal<char[][]> SCRATCH = ThreadLocal.withInitial(() -> new char[][] {new char[256]});

    /**
     * {@code s[start, end)} copied into this thread's scratch array (from index 0): one bulk copy, then a loop over
     * an array, costs less than {@code charAt} per character (which showed in the log writer's profile).
     */
    static char[] chars(String s, int start, int end) {
        char[][] holder = SCRATCH.get();
        if (holder[0].length < end - start) holder[0] = new char[Math.max(end - start, holder[0].length * 2)];
        s.getChars(start, end, holder[0], 0);
        return holder[0];
    }

    /** Writes a char of U+0800..U+FFFF (not a surrogate) as three UTF-8 bytes at {@code o}; returns the next index. */
    static int putThree(byte[] a, int o, char c) {
        a[o++] = (byte) (0xE0 | c >> 12);
        a[o++] = (byte) (0x80 | c >> 6 & 0x3F);
        a[o++] = (byte) (0x80 | c & 0x3F);
        return o;
    }

    /** Writes a supplementary code point as four UTF-8 bytes at {@code o}; returns the next index. */
    static int putFour(byte[] a, int o, int cp) {
        a[o++] = (byte) (0xF0 | cp >> 18);
        a[o++] = (byte) (0x80 | cp >> 12 & 0x3F);
        a[o++] = (byte) (0x80 | cp >> 6 & 0x3F);
        a[o++] = (byte) (0x80 | cp & 0x3F);
        return o;
    }
}
