package io.jenkins.plugins.quire.log;

/**
 * Why: output events carry up to 64 KiB of text each, and encoding them through a JSON generator (the text to UTF-8
 * bytes first, then escaped into the generator's buffer, then copied into the line) was a large part of the log
 * writer's time. This writes a string as a JSON string literal straight into the line buffer in one pass, with a
 * table for the ASCII characters, producing exactly the bytes Jackson writes: {@code \"}, {@code \\}, the short
 * escapes {@code \b \t \n \f \r}, a six-character hex escape (backslash, u, 00, two upper-case hex digits) for the other control characters, everything
 * else as UTF-8. An unpaired surrogate (which has no UTF-8 form) becomes U+FFFD, as {@link EventCodec#clean} does.
 */
final class JsonEscaper {
    /** Per ASCII character: 0 = written as is, 'u' = the six-character hex escape, else the letter after the backslash. */
    private static final byte[] ESCAPE = new byte[128];
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    static {
        for (int c = 0; c < 0x20; c++) ESCAPE[c] = 'u';
        ESCAPE['\b'] = 'b';
        ESCAPE['\t'] = 't';
        ESCAPE['\n'] = 'n';
        ESCAPE['\f'] = 'f';
        ESCAPE['\r'] = 'r';
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
    }

    private JsonEscaper() {}

    /** Per byte: true for the bytes copied as they are (everything but ASCII control characters, quote, backslash). */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) PLAIN[b] = b >= 0x80 || ESCAPE[b] == 0;
    }

    /**
     * Appends valid UTF-8 {@code b[off, off+len)} as a JSON string, quotes included: the bytes {@link #appendString}
     * writes for the text they decode to (a valid sequence encodes back to itself; only ASCII is ever escaped), but
     * copied in runs between the characters to escape instead of encoded one character at a time.
     */
    static void appendUtf8(byte[] b, int off, int len, ByteBuf out) {
        out.ensureFree(len * 6 + 2);
        byte[] a = out.array();
        int o = out.size();
        a[o++] = '"';
        int end = off + len;
        int i = off;
        while (i < end) {
            int run = i;
            while (i < end && PLAIN[b[i] & 0xff]) i++;
            System.arraycopy(b, run, a, o, i - run);
            o += i - run;
            if (i == end) break;
            o = escape(a, o, b[i++]);
        }
        a[o++] = '"';
        out.setSize(o);
    }

    /** Writes the escape of ASCII character {@code c} (one that {@link #ESCAPE} marks) at {@code o}; returns the next index. */
    private static int escape(byte[] a, int o, int c) {
        byte e = ESCAPE[c];
        a[o++] = '\\';
        if (e != 'u') {
            a[o++] = e;
        } else {
            a[o++] = 'u';
            a[o++] = '0';
            a[o++] = '0';
            a[o++] = HEX[c >> 4];
            a[o++] = HEX[c & 0xF];
        }
        return o;
    }

    /** Appends {@code s} as a JSON string, quotes included. */
    static void appendString(String s, ByteBuf out) {
        int len = s.length();
        out.ensureFree(len * 6 + 2); // worst case: every character as a six-byte hex escape
        char[] cs = Utf8.chars(s, 0, len);
        byte[] a = out.array();
        int o = out.size();
        a[o++] = '"';
        for (int i = 0; i < len; i++) {
            char c = cs[i];
            if (c < 0x80) {
                if (ESCAPE[c] == 0) a[o++] = (byte) c;
                else o = escape(a, o, c);
            } else if (c < 0x800) {
                a[o++] = (byte) (0xC0 | c >> 6);
                a[o++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                o = Utf8.putThree(a, o, c);
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(cs[i + 1])) {
                o = Utf8.putFour(a, o, Character.toCodePoint(c, cs[++i]));
            } else {
                o = Utf8.putThree(a, o, '\uFFFD');
            }
        }
        a[o++] = '"';
        out.setSize(o);
    }

}
