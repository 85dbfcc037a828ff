package io.jenkins.plugins.quire.pipeline;

import java.util.regex.Pattern;

/**
 * The rules a job id must follow. quire rejects only '/', reserved for source refs such as {@code quire/push}; we also
 * require ids to be path-safe (docs/language.md), because ids become folder names ({@code <logs>/jobs/<id>/log.jsonl}).
 */
public final class JobIds {
    private static final Pattern PATH_SAFE = Pattern.compile("[A-Za-z0-9_.-]+");

    private JobIds() {}

    /** True if the id names a source ref (the reserved {@code quire/} namespace) rather than a job. */
    public static boolean isSourceRef(String id) {
        return id.startsWith("quire/");
    }

    /** True if the id may be used as a single path segment: {@code [A-Za-z0-9_.-]+}, and not {@code .} or {@code ..}. */
    public static boolean isPathSafe(String id) {
        return PATH_SAFE.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }

    /** quire's exact message for an id containing '/'. */
    static String reservedSlash(String id) {
        return "Job id '" + id + "' contains '/', which is reserved for the 'quire/' source namespace.";
    }

    /** Our message for an id that is not a safe path segment. */
    static String notPathSafe(String id) {
        return "Job id '" + id + "' is not allowed: use only letters, digits, '_', '.' and '-' (and not '.' or '..'),"
                + " because job ids name log folders.";
    }
}
