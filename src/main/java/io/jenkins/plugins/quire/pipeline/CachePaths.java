package io.jenkins.plugins.quire.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Why: a {@code (ci.cache path)} names a directory a Docker volume is mounted over, so it must be a clean path that
 * cannot cover the workspace, the kernel's file systems or the engine's own files in the container
 * (docs/language.md, Caches). This normalises a declared path and says, in one sentence, why one is refused.
 */
public final class CachePaths {
    /** Longest cache path, in characters. */
    public static final int MAX_LENGTH = 1024;
    /** The prefix of a path in the exec user's home. */
    public static final String HOME_PREFIX = "~/";

    /** Paths that are never a cache, nor anything below them. */
    private static final List<String> FORBIDDEN_TREES = List.of("/work", "/proc", "/sys", "/dev", "/tmp/quire",
            "/.quire-agent", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/boot", "/run",
            "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/libexec");
    /** Paths that are never a cache themselves: the container's programs or the engine's directories lie below them. */
    private static final List<String> FORBIDDEN_EXACT = List.of("/", "/tmp", "/usr", "/var", "/home", "/root", "/opt",
            "/srv", "/mnt", "/media", "/usr/local");

    private CachePaths() { }

    /**
     * The normalised form of a declared path: {@code ~/a/b} or {@code /a/b}, without {@code .}, empty segments or a
     * trailing slash.
     * @throws IllegalArgumentException with the reason, for a path that is not allowed
     */
    public static String normalise(String raw) {
        if (raw.isEmpty()) throw new IllegalArgumentException("the path is empty");
        if (raw.length() > MAX_LENGTH)
            throw new IllegalArgumentException("the path is too long (" + raw.length() + " characters, at most " + MAX_LENGTH + ")");
        if (raw.chars().anyMatch(c -> Character.isISOControl(c) || c == ',' || c == '='))
            throw new IllegalArgumentException("the path must not contain control characters, ',' or '='");
        boolean home = raw.equals("~") || raw.startsWith(HOME_PREFIX);
        if (!home && !raw.startsWith("/"))
            throw new IllegalArgumentException("the path must be absolute (\"/cache/pip\") or in the home directory (\"~/.m2\")");
        List<String> parts = new ArrayList<>();
        for (String p : raw.substring(home ? 1 : 0).split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) throw new IllegalArgumentException("the path must not contain '..'");
            parts.add(p);
        }
        String tail = "/" + String.join("/", parts);
        if (home) {
            if (parts.isEmpty()) throw new IllegalArgumentException("the home directory itself cannot be a cache: name a directory in it, such as \"~/.m2\"");
            return "~" + tail;
        }
        for (String t : FORBIDDEN_TREES) {
            if (tail.equals(t) || tail.startsWith(t + "/"))
                throw new IllegalArgumentException(t + (tail.equals(t) ? "" : " and what lies below it") + " cannot be a cache"
                        + (t.equals("/work") ? " (the workspace is mounted there)" : " (the container needs it)"));
        }
        if (FORBIDDEN_EXACT.contains(tail))
            throw new IllegalArgumentException(tail + " cannot be a cache (the container needs what lies below it)");
        return tail;
    }

    /** Whether a normalised path lies in the exec user's home. */
    public static boolean inHome(String normalised) {
        return normalised.startsWith(HOME_PREFIX);
    }

    /** The mount point of a normalised path, given the exec user's home (an absolute path). */
    public static String resolve(String normalised, String home) {
        if (!inHome(normalised)) return normalised;
        return (home.endsWith("/") ? home : home + "/") + normalised.substring(HOME_PREFIX.length());
    }
}
