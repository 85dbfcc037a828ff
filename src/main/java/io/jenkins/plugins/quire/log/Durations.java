package io.jenkins.plugins.quire.log;

import java.util.Locale;

/** Short human-readable durations for the console: {@code 850 ms}, {@code 12.3 s}, {@code 4m 05s}, {@code 1h 02m}. */
public final class Durations {
    private Durations() {}

    public static String format(long ms) {
        if (ms < 1000) return ms + " ms";
        if (ms < 60_000) return String.format(Locale.ROOT, "%.1f s", (ms / 100) / 10.0);
        long s = ms / 1000;
        if (s < 3600) return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }
}
