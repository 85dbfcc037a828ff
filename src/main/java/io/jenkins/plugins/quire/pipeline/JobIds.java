package io.jenkins.plugins.quire.pipeline;

import java.util.regex.Pattern;

/**
 * The rules a job id must follow. quire rejects only '/', reserved for source refs such as {@code quire/push}; we also
 * require ids to be path-safe (docs/language.md), because ids become folder names ({@code <logs>/jobs/<id>/log.jsonl}),
 * and at most {@link #MAX_LENGTH} characters long, because a file name has at most 255 bytes.
 */
public final class JobIds {
    /** Longest job id: ids name log folders and each job's TMPDIR. */
    public static final int MAX_LENGTH = 100;
    private static final Pattern PATH_SAFE = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final int SHOWN = 60;

    private JobIds() {}

    /** True if the id names a source ref (the reserved {@code quire/} namespace) rather than a job. */
    public static boolean isSourceRef(String id) {
        return id.startsWith("quire/");
    }

    /** True if the id may be used as a single path segment: {@code [A-Za-z0-9_.-]+}, and not {@code .} or {@code ..}. */
    public static boolean isPathSafe(String id) {
        return PATH_SAFE.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }

    /** An id quoted for a message: in full up to {@link #MAX_LENGTH} characters, else its start and its length. */
    static String quoted(String id) {
        if (id.length() <= MAX_LENGTH) return "'" + id + "'";
        return "'" + id.substring(0, SHOWN) + "...' (" + id.length() + " characters)";
    }

    /** quire's exact message for an id containing '/'. */
    static String reservedSlash(String id) {
        return "Job id " + quoted(id) + " contains '/', which is reserved for the 'quire/' source namespace.";
    }

    /** Our message for an id that is not a safe path segment. */
    static String notPathSafe(String id) {
        return "Job id " + quoted(id) + " is not allowed: use only letters, digits, '_', '.' and '-' (and not '.' or '..'),"
                + " because job ids name log folders.";
    }

    /** Our message for an id longer than {@link #MAX_LENGTH} characters. */
    static String tooLong(String id) {
        return "Job id " + quoted(id) + " is too long: job ids have at most " + MAX_LENGTH
                + " characters, because they name log folders.";
    }
}
