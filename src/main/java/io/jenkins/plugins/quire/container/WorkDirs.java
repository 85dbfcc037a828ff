package io.jenkins.plugins.quire.container;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** Why: commands may only run inside the workspace mount; this resolves and checks a working directory. */
final class WorkDirs {
    /** Where the workspace is mounted and every exec starts (docs/language.md). */
    static final String ROOT = "/work";
    /** Linux's NAME_MAX and PATH_MAX: the runtime refuses longer working directories with a bare error. */
    private static final int MAX_NAME_BYTES = 255;
    private static final int MAX_PATH_BYTES = 4096;

    private WorkDirs() { }

    /** Resolves {@code dir} against /work, normalises "." and "..", and rejects anything outside /work. */
    static String resolve(String dir) {
        if (dir == null || dir.isEmpty()) return ROOT;
        if (dir.indexOf('\0') >= 0) throw new IllegalArgumentException("working directory contains a NUL character");
        String full = dir.startsWith("/") ? dir : ROOT + "/" + dir;
        Deque<String> parts = new ArrayDeque<>();
        for (String p : full.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) {
                if (parts.isEmpty()) throw outside(dir);
                parts.removeLast();
            } else {
                if (p.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES)
                    throw new IllegalArgumentException("working directory '" + shorten(dir) + "' has a path segment longer than "
                            + MAX_NAME_BYTES + " bytes");
                parts.addLast(p);
            }
        }
        String norm = "/" + String.join("/", parts);
        if (norm.getBytes(StandardCharsets.UTF_8).length >= MAX_PATH_BYTES)
            throw new IllegalArgumentException("working directory '" + shorten(dir) + "' is longer than " + MAX_PATH_BYTES + " bytes");
        if (!norm.equals(ROOT) && !norm.startsWith(ROOT + "/")) throw outside(dir);
        return norm;
    }

    private static String shorten(String dir) {
        return dir.length() <= 80 ? dir : dir.substring(0, 60) + "..." + " (" + dir.length() + " characters)";
    }

    private static IllegalArgumentException outside(String dir) {
        return new IllegalArgumentException("working directory '" + shorten(dir) + "' is outside " + ROOT
                + " (commands run in the workspace mounted at " + ROOT + ")");
    }
}
