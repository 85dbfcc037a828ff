package io.jenkins.plugins.quire.log;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The {@code ts} format of the logs: RFC 3339, UTC, always 3 fraction digits ({@code 2026-11-29T20:40:01.123Z}). */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    /** Formats an instant, truncated to milliseconds. */
    public static String format(Instant ts) {
        return FORMAT.format(ts);
    }

    /** Parses any RFC 3339 / ISO-8601 instant (what {@link #format} writes and more). */
    public static Instant parse(String s) {
        return Instant.parse(s);
    }

    /** The current instant of {@code clock}, truncated to milliseconds so that write and read-back agree. */
    static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
