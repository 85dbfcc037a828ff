package io.jenkins.plugins.quire.run;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Run ids: sortable by start time, unique enough to label containers and name log folders ({@code 20261129-204512-3fa9c2}). */
public final class RunIds {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {}

    public static String next() {
        return STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + String.format("%06x", RANDOM.nextInt(1 << 24));
    }
}
