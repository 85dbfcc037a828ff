package io.jenkins.plugins.quire.sandbox;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C printf conversions of one number, as glibc prints them, for Lua 5.2's {@code string.format} and
 * {@code tostring} ({@code %.14g}). LuaJ 3.0.1 leaves {@code %e/%f/%g} unimplemented and truncates {@code %d}
 * to 32 bits; Fennel's compiler and users' scripts both depend on the C behaviour.
 * Floats are rounded half-even on their exact binary value (what glibc does), using {@link BigDecimal}.
 */
public final class CFormat {
    private static final double TWO_63 = 9.223372036854775808E18;
    private static final double TWO_64 = 1.8446744073709551616E19;

    private CFormat() {}

    /** One parsed conversion: flags, width and precision (-1 when absent) and the conversion letter. */
    public static final class Spec {
        public boolean left, plus, space, alt, zero;
        public int width = -1;
        public int precision = -1;
        public char conversion;
    }

    /** {@code tostring} of a Lua number: {@code %.14g} (Lua 5.2's LUAI_NUMFFORMAT). */
    public static String number14g(double v) {
        Spec s = new Spec();
        s.precision = 14;
        s.conversion = 'g';
        return formatFloat(s, v);
    }

    /** {@code %d}/{@code %i}: Lua 5.2 truncates toward zero and accepts only values within a signed 64-bit range. */
    public static String formatSigned(Spec s, double n) {
        if (!(n >= -TWO_63 && n < TWO_63)) return null;
        long v = (long) n;
        String digits = v == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(Math.abs(v));
        String sign = v < 0 ? "-" : s.plus ? "+" : s.space ? " " : "";
        return integerBody(s, sign, "", digits, v == 0);
    }

    /** {@code %o %u %x %X}: values in (-1, 2^64), truncated toward zero; null when out of range. */
    public static String formatUnsigned(Spec s, double n) {
        if (!(n > -1 && n < TWO_64)) return null;
        BigInteger v = new BigDecimal(n).toBigInteger();
        if (v.signum() < 0) v = BigInteger.ZERO;
        boolean isZero = v.signum() == 0;
        String digits;
        String prefix = "";
        switch (s.conversion) {
            case 'o':
                digits = v.toString(8);
                break;
            case 'x':
                digits = v.toString(16);
                if (s.alt && !isZero) prefix = "0x";
                break;
            case 'X':
                digits = v.toString(16).toUpperCase();
                if (s.alt && !isZero) prefix = "0X";
                break;
            default:
                digits = v.toString();
        }
        String body = integerBody(s, "", prefix, digits, isZero);
        return body;
    }

    private static String integerBody(Spec s, String sign, String prefix, String digits, boolean isZero) {
        if (s.precision >= 0) {
            if (s.precision == 0 && isZero) digits = "";
            StringBuilder d = new StringBuilder();
            for (int i = digits.length(); i < s.precision; i++) d.append('0');
            digits = d.append(digits).toString();
        }
        if (s.conversion == 'o' && s.alt && !digits.startsWith("0")) digits = "0" + digits;
        boolean zeroPad = s.zero && !s.left && s.precision < 0;
        return pad(s, sign + prefix, digits, zeroPad);
    }

    /** {@code %e %E %f %F %g %G} of a double, glibc-compatible. */
    public static String formatFloat(Spec s, double v) {
        boolean negative = (Double.doubleToRawLongBits(v) < 0);
        String sign = negative ? "-" : s.plus ? "+" : s.space ? " " : "";
        boolean upper = Character.isUpperCase(s.conversion);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            String word = Double.isNaN(v) ? "nan" : "inf";
            return pad(s, sign, upper ? word.toUpperCase() : word, false);
        }
        BigDecimal abs = new BigDecimal(v).abs();
        int prec = s.precision < 0 ? 6 : s.precision;
        String body;
        switch (Character.toLowerCase(s.conversion)) {
            case 'f':
                body = fixed(abs, prec, s.alt);
                break;
            case 'e':
                body = exponential(abs, prec, s.alt, upper);
                break;
            default:
                body = general(abs, prec, s.alt, upper);
        }
        return pad(s, sign, body, s.zero && !s.left);
    }

    private static String fixed(BigDecimal abs, int prec, boolean alt) {
        String out = abs.setScale(prec, RoundingMode.HALF_EVEN).toPlainString();
        if (prec == 0 && alt) out += ".";
        return out;
    }

    /** Digits (exactly {@code prec + 1}) and decimal exponent of {@code abs} rounded to {@code prec + 1} digits. */
    private static Object[] scientific(BigDecimal abs, int prec) {
        if (abs.signum() == 0) {
            return new Object[] {"0".repeat(prec + 1), 0};
        }
        BigDecimal r = abs.round(new MathContext(prec + 1, RoundingMode.HALF_EVEN));
        String digits = r.unscaledValue().toString();
        int exp = digits.length() - 1 - r.scale();
        if (digits.length() > prec + 1) digits = digits.substring(0, prec + 1); // trailing zeros only
        StringBuilder d = new StringBuilder(digits);
        while (d.length() < prec + 1) d.append('0');
        return new Object[] {d.toString(), exp};
    }

    private static String exponential(BigDecimal abs, int prec, boolean alt, boolean upper) {
        Object[] sc = scientific(abs, prec);
        String digits = (String) sc[0];
        int exp = (Integer) sc[1];
        StringBuilder out = new StringBuilder();
        out.append(digits.charAt(0));
        if (prec > 0 || alt) out.append('.');
        out.append(digits, 1, digits.length());
        out.append(upper ? 'E' : 'e').append(exp < 0 ? '-' : '+');
        int e = Math.abs(exp);
        if (e < 10) out.append('0');
        out.append(e);
        return out.toString();
    }

    private static String general(BigDecimal abs, int prec, boolean alt, boolean upper) {
        int p = prec == 0 ? 1 : prec;
        int x = (Integer) scientific(abs, p - 1)[1];
        String out;
        if (p > x && x >= -4) {
            out = fixed(abs, p - 1 - x, alt);
        } else {
            out = exponential(abs, p - 1, alt, upper);
        }
        if (!alt) out = stripZeros(out);
        return out;
    }

    private static String stripZeros(String s) {
        int e = Math.max(s.indexOf('e'), s.indexOf('E'));
        String mant = e >= 0 ? s.substring(0, e) : s;
        String tail = e >= 0 ? s.substring(e) : "";
        if (mant.indexOf('.') >= 0) {
            int end = mant.length();
            while (end > 0 && mant.charAt(end - 1) == '0') end--;
            if (end > 0 && mant.charAt(end - 1) == '.') end--;
            mant = mant.substring(0, end);
        }
        return mant + tail;
    }

    /** {@code %a %A}: hexadecimal floating point as glibc prints it (precision supported for normal numbers). */
    public static String formatHexFloat(Spec s, double v) {
        boolean negative = (Double.doubleToRawLongBits(v) < 0);
        String sign = negative ? "-" : s.plus ? "+" : s.space ? " " : "";
        boolean upper = s.conversion == 'A';
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            String word = Double.isNaN(v) ? "nan" : "inf";
            return pad(s, sign, upper ? word.toUpperCase() : word, false);
        }
        long bits = Double.doubleToRawLongBits(v) & Long.MAX_VALUE;
        long mant = bits & 0xFFFFFFFFFFFFFL;
        int bexp = (int) (bits >>> 52);
        long lead;
        int exp;
        if (bexp == 0) {
            lead = 0;
            exp = mant == 0 ? 0 : -1022;
        } else {
            lead = 1;
            exp = bexp - 1023;
        }
        String frac;
        if (s.precision >= 0 && s.precision < 13) {
            int drop = 4 * (13 - s.precision);
            long full = (lead << 52) | mant;
            long q = full >>> drop;
            long rem = full & ((1L << drop) - 1);
            long half = 1L << (drop - 1);
            if (rem > half || (rem == half && (q & 1) == 1)) q++;
            lead = q >>> (4 * s.precision);
            long f = q & ((1L << (4 * s.precision)) - 1);
            frac = s.precision == 0 ? "" : String.format("%0" + s.precision + "x", f);
        } else {
            frac = String.format("%013x", mant);
            if (s.precision < 0) {
                int end = frac.length();
                while (end > 0 && frac.charAt(end - 1) == '0') end--;
                frac = frac.substring(0, end);
            } else {
                frac = frac + "0".repeat(s.precision - 13);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(Long.toHexString(lead));
        if (!frac.isEmpty() || s.alt) out.append('.');
        out.append(frac).append('p').append(exp < 0 ? '-' : '+').append(Math.abs(exp));
        String body = out.toString();
        String prefix = upper ? "0X" : "0x";
        if (upper) body = body.toUpperCase();
        return pad(s, sign + prefix, body, s.zero && !s.left);
    }

    /** Applies the width: left-justified, zero-padded after sign and prefix, or right-justified with spaces. */
    static String pad(Spec s, String signPrefix, String body, boolean zeroPad) {
        int len = signPrefix.length() + body.length();
        if (s.width <= len) return signPrefix + body;
        String fill = (zeroPad ? "0" : " ").repeat(s.width - len);
        if (s.left) return signPrefix + body + fill;
        if (zeroPad) return signPrefix + fill + body;
        return fill + signPrefix + body;
    }
}
