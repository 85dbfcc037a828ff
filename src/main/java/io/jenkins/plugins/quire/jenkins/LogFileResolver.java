package io.jenkins.plugins.quire.jenkins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Decides which file a raw-log request may read: only a regular file inside the build's {@code quire/} logs
 * folder. Refuses empty, absolute, backslash, NUL and {@code .}/{@code ..} paths, and anything whose real path
 * (symlinks followed) leaves the real logs folder, including a {@code quire} folder that is itself a symlink out
 * of the artifacts folder. Free of Hudson types so it is unit-tested on plain files.
 */
public final class LogFileResolver {
    private static final int MAX_PATH_LENGTH = 1024;

    private LogFileResolver() {}

    /**
     * The real path of {@code relative} inside {@code <artifactsDir>/quire}, or null when refused or missing
     * (callers answer 404 either way, so a refusal reveals nothing about the file system).
     */
    public static Path resolve(Path artifactsDir, String relative) {
        if (!isPlainRelative(relative)) return null;
        try {
            Path logsDir = artifactsDir.resolve(QuireRunAction.LOGS_FOLDER);
            if (!Files.isDirectory(logsDir, LinkOption.NOFOLLOW_LINKS)) return null;
            Path realLogs = logsDir.toRealPath();
            if (!realLogs.equals(artifactsDir.toRealPath().resolve(QuireRunAction.LOGS_FOLDER))) return null;
            Path candidate = logsDir.resolve(relative).normalize();
            if (!candidate.startsWith(logsDir.normalize())) return null;
            if (!Files.exists(candidate)) return null;
            Path real = candidate.toRealPath();
            if (!real.startsWith(realLogs) || real.equals(realLogs)) return null;
            return Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) ? real : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Slash-separated segments, none empty, {@code .} or {@code ..}; no leading slash, backslash, colon or NUL. */
    static boolean isPlainRelative(String p) {
        if (p == null || p.isEmpty() || p.length() > MAX_PATH_LENGTH) return false;
        if (p.indexOf('\\') >= 0 || p.indexOf('\0') >= 0 || p.indexOf(':') >= 0) return false;
        for (String seg : p.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) return false;
        }
        return true;
    }
}
