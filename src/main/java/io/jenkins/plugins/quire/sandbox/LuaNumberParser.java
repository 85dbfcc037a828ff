package io.jenkins.plugins.quire.sandbox;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lua 5.2's string-to-number conversions ({@code lua_str2number} and {@code tonumber(s, base)}).
 * LuaJ 3.0.1 reads {@code "-"} as 0 (so Fennel's reader turns the symbol {@code -} into a number), throws on
 * {@code "0x"} and has no hex floats; this parser returns null wherever Lua 5.2 returns nil.
 */
public final class LuaNumberParser {
    private static final String WS = "[ \\t\\n\\u000B\\f\\r]*";
    private static final Pattern HEX = Pattern.compile(
            WS + "([-+]?)0[xX]([0-9a-fA-F]*)(?:\\.([0-9a-fA-F]*))?(?:[pP]([-+]?[0-9]+))?" + WS);

    private LuaNumberParser() {}

    /** {@code tonumber(s)}: decimal or hexadecimal (with fraction and binary exponent); null when not a number. */
    public static Double parse(String s) {
        if (s.indexOf('n') >= 0 || s.indexOf('N') >= 0) return null; // Lua 5.2 rejects "inf" and "nan"
        if (s.indexOf('x') >= 0 || s.indexOf('X') >= 0) return parseHex(s);
        return parseDecimal(s);
    }

    /**
     * {@code [sign] digits [. digits] [e [sign] digits]} between spaces, with at least one mantissa digit,
     * scanned in one pass: a regular expression here backtracks quadratically on a long run of digits
     * that is not a number (300,000 digits and an {@code x} took minutes).
     */
    private static Double parseDecimal(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && isSpace(s.charAt(i))) i++;
        int end = n;
        while (end > i && isSpace(s.charAt(end - 1))) end--;
        int j = i;
        if (j < end && (s.charAt(j) == '+' || s.charAt(j) == '-')) j++;
        int digits = 0;
        while (j < end && isDigit(s.charAt(j))) { j++; digits++; }
        if (j < end && s.charAt(j) == '.') {
            j++;
            while (j < end && isDigit(s.charAt(j))) { j++; digits++; }
        }
        if (digits == 0) return null;
        if (j < end && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
            j++;
            if (j < end && (s.charAt(j) == '+' || s.charAt(j) == '-')) j++;
            int exponent = 0;
            while (j < end && isDigit(s.charAt(j))) { j++; exponent++; }
            if (exponent == 0) return null;
        }
        if (j != end) return null;
        return Double.parseDouble(s.substring(i, end));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static Double parseHex(String s) {
        Matcher m = HEX.matcher(s);
        if (!m.matches()) return null;
        String whole = m.group(2);
        String frac = m.group(3) == null ? "" : m.group(3);
        if (whole.isEmpty() && frac.isEmpty()) return null;
        String exp = m.group(4) == null ? "0" : m.group(4);
        // Java's own hex-float syntax rounds correctly, like strtod.
        String literal = "0x" + (whole.isEmpty() ? "0" : whole) + "." + frac + "p" + clampExponent(exp);
        double v = Double.parseDouble(literal);
        return "-".equals(m.group(1)) ? -v : v;
    }

    private static String clampExponent(String exp) {
        try {
            return Integer.toString(Integer.parseInt(exp));
        } catch (NumberFormatException e) {
            return exp.startsWith("-") ? "-99999" : "99999";
        }
    }

    /** {@code tonumber(s, base)} for 2 &lt;= base &lt;= 36: optional spaces and minus sign, then at least one digit. */
    public static Double parse(String s, int base) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) i++;
        boolean negative = false;
        if (i < n && s.charAt(i) == '-') {
            negative = true;
            i++;
        }
        int start = i;
        double v = 0;
        while (i < n) {
            int d = Character.digit(s.charAt(i), base);
            if (d < 0 || s.charAt(i) > 'z') break;
            v = v * base + d;
            i++;
        }
        if (i == start) return null;
        while (i < n && isSpace(s.charAt(i))) i++;
        if (i != n) return null;
        return negative ? -v : v;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}
