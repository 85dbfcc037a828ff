package io.jenkins.plugins.quire.container;

import java.util.ArrayDeque;
import java.util.Deque;

/** Why: commands may only run inside the workspace mount; this resolves and checks a working directory. */
final class WorkDirs {
    /** Where the workspace is mounted and every exec starts (docs/language.md). */
    static final String ROOT = "/work";

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
                parts.addLast(p);
            }
        }
        String norm = "/" + String.join("/", parts);
        if (!norm.equals(ROOT) && !norm.startsWith(ROOT + "/")) throw outside(dir);
        return norm;
    }

    private static IllegalArgumentException outside(String dir) {
        return new IllegalArgumentException("working directory '" + dir + "' is outside " + ROOT
                + " (commands run in the workspace mounted at " + ROOT + ")");
    }
}
