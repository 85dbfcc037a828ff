package io.jenkins.plugins.quire.container;

import java.util.Locale;

/**
 * Why: one cache volume as the listings show it ({@code quire-ci cache list}, the job's caches page), read back from
 * the volume's labels, with the size the engine measured.
 *
 * @param volume  the Docker volume's name
 * @param owner   the owner key it belongs to (the CLI workspace's path, or the Jenkins instance and job)
 * @param path    the declared cache path
 * @param created when the volume was created (ISO-8601 instant), or "" when the label is missing
 * @param size    the bytes it holds as the engine's {@code system df} measured them, or null when unknown
 */
public record CacheVolume(String volume, String owner, String path, String created, Long size) implements java.io.Serializable {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    /** A volume whose size is unknown. */
    public CacheVolume(String volume, String owner, String path, String created) {
        this(volume, owner, path, created, null);
    }

    /** The size for people: decimal units as Docker prints them ({@code 20.1 MB}, {@code 512 B}), or "unknown". */
    public String sizeText() {
        if (size == null || size < 0) return "unknown";
        double s = size;
        int unit = 0;
        while (s >= (unit == 0 ? 1000 : 999.95) && unit < UNITS.length - 1) {
            s /= 1000;
            unit++;
        }
        return unit == 0 ? size + " B" : String.format(Locale.ROOT, "%.1f %s", s, UNITS[unit]);
    }
}
