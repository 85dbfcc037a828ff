package io.jenkins.plugins.quire.container;

import java.util.ArrayList;
import java.util.List;

/**
 * Why: every {@code sh} needs a writable HOME, and {@code ~/...} caches are mounted in it (docs/language.md). Under
 * Jenkins the exec user is usually a uid the image does not know, whose HOME would be {@code /}. This applies the rule:
 * the passwd home of that uid when it has one other than {@code /}, else {@link #FALLBACK}, and works out where a
 * cache is mounted and which directories above it (made by the engine, owned by root) the exec user should own. Pure.
 */
final class CacheHome {
    /** The prefix of a cache path in the home. */
    static final String PREFIX = "~/";
    /** The home made at container start (owned by the exec user) when the image gives none. */
    static final String FALLBACK = "/home/quire";

    private CacheHome() { }

    /** The HOME of the exec user, from the image's passwd home ({@code AgentEnvironment.Identity#home()}). */
    static String of(String passwdHome) {
        return passwdHome == null || passwdHome.isEmpty() || passwdHome.equals("/") ? FALLBACK : passwdHome;
    }

    /** Where a normalised cache path is mounted, given HOME. */
    static String mountPoint(String path, String home) {
        if (!path.startsWith(PREFIX)) return path;
        return (home.endsWith("/") ? home : home + "/") + path.substring(PREFIX.length());
    }

    /**
     * The directories from HOME down to (not including) the mount point of a {@code ~/...} cache: the engine makes the
     * missing ones, owned by root, so the exec user could not write next to the cache. Empty for absolute paths.
     */
    static List<String> dirsAbove(String path, String home) {
        List<String> dirs = new ArrayList<>();
        if (!path.startsWith(PREFIX)) return dirs;
        String base = home.endsWith("/") && home.length() > 1 ? home.substring(0, home.length() - 1) : home;
        dirs.add(base);
        String[] parts = path.substring(PREFIX.length()).split("/");
        StringBuilder at = new StringBuilder(base.equals("/") ? "" : base);
        for (int i = 0; i < parts.length - 1; i++) {
            at.append('/').append(parts[i]);
            dirs.add(at.toString());
        }
        return dirs;
    }
}
