package io.jenkins.plugins.quire.sandbox;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * Turns Lua strings (byte strings) into Java text. LuaJ's own {@code tojstring()} is not a UTF-8 decoder: on bytes
 * that are not UTF-8 it swallows the bytes that follow a stray lead byte ({@code "\xA9A\xFF"} became
 * {@code "ੁ￿\u0000"}), which corrupts values and can hide the first character of a secret from redaction, so that
 * the rest of it shows. Two decodings replace it:
 * <ul>
 * <li>{@link #strict}: for values that leave the script as text (cmd, argv, env, cwd, outputs, job ids, image and
 * secret names): anything that is not UTF-8 is refused;</li>
 * <li>{@link #lenient}: for messages (error values): each byte that does not start a well-formed sequence becomes
 * U+FFFD and decoding resumes at the next byte, so no well-formed character (and no part of a secret) is lost.</li>
 * </ul>
 * Both accept a surrogate pair written as two 3-byte sequences, because that is how LuaJ itself encodes Java
 * strings (string literals of the compiled source, values the host hands to scripts) holding characters outside
 * the Basic Multilingual Plane.
 */
public final class LuaText {
    private LuaText() {}

    /** Thrown by {@link #strict} for a string that is not UTF-8 text; the message says where the bad byte is. */
    public static final class NotUtf8Exception extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NotUtf8Exception(String message) {
            super(message);
        }
    }

    /** The text of a Lua string, or a {@link NotUtf8Exception} if it is not UTF-8. */
    public static String strict(LuaValue s) {
        return decode(s.checkstring(), true);
    }

    /** {@link #strict(LuaValue)}, the message starting with {@code what} ("ci.job: the job id is not UTF-8 ..."). */
    public static String strict(LuaValue s, String what) {
        try {
            return strict(s);
        } catch (NotUtf8Exception e) {
            throw new NotUtf8Exception(what + " " + e.getMessage());
        }
    }

    /**
     * {@link #strict(LuaValue, String)} for a host function's argument: text that is not UTF-8 is refused as the
     * script's error ({@link HostError}), which the sandbox reports at the calling line.
     */
    public static String hostArgument(LuaValue s, String what) throws HostError {
        try {
            return strict(s, what);
        } catch (NotUtf8Exception e) {
            throw new HostError(e.getMessage());
        }
    }

    /** The text of a string, bad bytes as U+FFFD; other values as LuaJ prints them. */
    public static String lenient(LuaValue v) {
        return v.type() == LuaValue.TSTRING ? decode(v.checkstring(), false) : v.tojstring();
    }

    private static String decode(LuaString s, boolean strict) {
        int n = s.length();
        StringBuilder sb = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            int b0 = s.luaByte(i);
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
                continue;
            }
            int cp = sequence(s, i, n);
            if (cp >= 0 && cp <= 0xFFFF && Character.isHighSurrogate((char) cp)) {
                int low = i + 3 < n ? sequence(s, i + 3, n) : -1;
                if (low >= 0 && low <= 0xFFFF && Character.isLowSurrogate((char) low)) {
                    sb.append((char) cp).append((char) low); // LuaJ's encoding of a supplementary character
                    i += 6;
                    continue;
                }
                cp = -1;
            } else if (cp >= 0 && cp <= 0xFFFF && Character.isLowSurrogate((char) cp)) {
                cp = -1;
            }
            if (cp < 0) {
                if (strict) {
                    throw new NotUtf8Exception("is not UTF-8 text (byte " + (i + 1) + " of " + n + " is 0x"
                            + Integer.toHexString(b0).toUpperCase(java.util.Locale.ROOT) + ")");
                }
                sb.append('\uFFFD');
                i++;
                continue;
            }
            sb.appendCodePoint(cp);
            i += cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        }
        return sb.toString();
    }

    /** The code point of the well-formed sequence starting at {@code i} (lead byte ≥ 0x80), or -1. */
    private static int sequence(LuaString s, int i, int n) {
        int b0 = s.luaByte(i);
        int len;
        int cp;
        int min;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            len = 2;
            cp = b0 & 0x1F;
            min = 0x80;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            len = 3;
            cp = b0 & 0x0F;
            min = 0x800;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            len = 4;
            cp = b0 & 0x07;
            min = 0x10000;
        } else {
            return -1;
        }
        if (i + len > n) return -1;
        for (int k = 1; k < len; k++) {
            int b = s.luaByte(i + k);
            if ((b & 0xC0) != 0x80) return -1;
            cp = (cp << 6) | (b & 0x3F);
        }
        return cp < min || cp > 0x10FFFF ? -1 : cp;
    }
}
