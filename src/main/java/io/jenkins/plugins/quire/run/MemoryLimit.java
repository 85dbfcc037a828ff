package io.jenkins.plugins.quire.run;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why: the run container's memory limit is typed by users ({@code --memory 512m}, the build step's field), so it is
 * read here once, the way {@code docker run --memory} reads it (binary units b/k/m/g/t, an optional "b" or "ib"),
 * and refused with a message naming the setting when it is garbage, too small for Docker or too large to be meant.
 */
public final class MemoryLimit {
    /** Docker refuses a container memory limit below 6 MiB. */
    public static final long MIN_BYTES = 6L * 1024 * 1024;
    /** 1 PiB: far beyond any machine, small enough that no later arithmetic overflows. */
    public static final long MAX_BYTES = 1L << 50;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,20}(?:\\.\\d{1,20})?)\\s*([bkmgt]?)(?:i?b)?");

    private MemoryLimit() {}

    /**
     * @param setting how the caller names the value in errors, e.g. {@code --memory} or {@code Memory limit}
     * @return the limit in bytes, or null for a blank value (no limit)
     * @throws IllegalArgumentException naming the setting and the value
     */
    public static Long parse(String value, String setting) {
        String error = check(value, setting);
        if (error != null) throw new IllegalArgumentException(error);
        return bytes(value);
    }

    /** The error message for {@code value}, or null when it is blank (no limit) or a valid size. */
    public static String check(String value, String setting) {
        if (value == null || value.isBlank()) return null;
        String v = value.trim();
        Long bytes = bytes(v);
        if (bytes == null) {
            return setting + " '" + shorten(v) + "' is not a memory size: use a number with an optional unit k, m or g,"
                    + " such as 512m or 2g";
        }
        if (bytes < MIN_BYTES) return setting + " '" + v + "' is too small: Docker needs at least 6m";
        if (bytes > MAX_BYTES) return setting + " '" + shorten(v) + "' is too large: at most 1024t";
        return null;
    }

    private static Long bytes(String value) {
        if (value == null || value.isBlank()) return null;
        Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) return null;
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        BigDecimal b = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(2).pow(shift));
        if (b.compareTo(BigDecimal.valueOf(MAX_BYTES)) > 0) return MAX_BYTES + 1;
        return b.longValue();
    }

    private static String shorten(String v) {
        return v.length() <= 40 ? v : v.substring(0, 40) + "...";
    }
}
