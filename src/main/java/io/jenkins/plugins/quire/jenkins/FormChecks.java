package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.container.ExecMode;
import io.jenkins.plugins.quire.run.MemoryLimit;
import io.jenkins.plugins.quire.run.ParallelJobs;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The rules behind the build step's form validation and behind {@link BuildRun}'s own checks, kept apart from the
 * descriptors (which Stapler 1.155 introspects with an old ASM, so they stay free of string concatenation) and free of
 * I/O (validation runs on GET in Hudson 1.395). Each method returns the error message, or null when the value is fine;
 * a blank value is fine wherever the field has a default.
 */
public final class FormChecks {
    /** Default pipeline file, relative to the workspace. */
    public static final String DEFAULT_FILE = ".quire/ci.fnl";
    /** Default wall-clock limit of one job, in minutes (docs/language.md). */
    public static final int DEFAULT_TIMEOUT_MINUTES = 60;
    /** Upper bound of the job timeout field: one week. */
    public static final int MAX_TIMEOUT_MINUTES = 7 * 24 * 60;

    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    // Docker image references (distribution/reference grammar): [domain[:port]/]path[:tag][@digest]
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern IMAGE = Pattern.compile("(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT
            + ")*(?::" + TAG + ")?(?:@" + DIGEST + ")?");
    private static final int MAX_IMAGE_NAME = 255;

    private FormChecks() {}

    /** The pipeline file: a relative path that stays inside the workspace. */
    public static String file(String value) {
        if (isBlank(value)) return null;
        String v = value.trim();
        if (v.indexOf('\0') >= 0) return "The path contains a NUL character.";
        if (v.startsWith("/") || v.startsWith("\\") || v.matches("^[A-Za-z]:.*")) {
            return "Give the path relative to the workspace (e.g. " + DEFAULT_FILE + "), not an absolute path.";
        }
        Path p;
        try {
            p = Path.of(v.replace('\\', '/')).normalize();
        } catch (InvalidPathException e) {
            return "Not a valid path: " + e.getReason();
        }
        if (p.startsWith("..") || p.toString().isEmpty()) {
            return "The path leaves the workspace: '" + v + "' must name a file inside it.";
        }
        if (v.endsWith("/")) return "The path names a folder; name the pipeline file (e.g. " + DEFAULT_FILE + ").";
        return null;
    }

    /** A Docker image reference such as {@code debian:bookworm} or {@code registry:5000/team/img@sha256:...}. */
    public static String image(String value) {
        if (isBlank(value)) return null;
        String v = value.trim();
        if (IMAGE.matcher(v).matches()) {
            int at = v.indexOf('@');
            String name = at < 0 ? v : v.substring(0, at);
            int slash = name.lastIndexOf('/');
            int colon = name.lastIndexOf(':');
            if (colon > slash) name = name.substring(0, colon);
            if (name.length() > MAX_IMAGE_NAME) return "The image name is longer than 255 characters.";
            return null;
        }
        if (!v.equals(v.toLowerCase(java.util.Locale.ROOT))
                && IMAGE.matcher(lowerCaseRepository(v)).matches()) {
            return "The repository part of an image name must be lowercase: '" + v + "'.";
        }
        if (v.chars().anyMatch(Character::isWhitespace)) return "An image name cannot contain spaces: '" + v + "'.";
        return "Not a Docker image reference: '" + v + "' (expected e.g. debian:bookworm or registry:5000/team/image:tag).";
    }

    /** A secret name as {@code (secret name)} uses it. */
    public static String secretName(String value) {
        if (isBlank(value)) return "A secret needs a name.";
        if (!SECRET_NAME.matcher(value.trim()).matches()) {
            return "'" + value.trim() + "' is not a valid secret name: use letters, digits, '_', '.' and '-', "
                    + "starting with a letter or '_'.";
        }
        return null;
    }

    /** The job timeout in whole minutes. */
    public static String timeout(String value) {
        if (isBlank(value)) return null;
        int m;
        try {
            m = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return "The job timeout is a whole number of minutes, not '" + value.trim() + "'.";
        }
        if (m <= 0) return "The job timeout must be at least 1 minute.";
        if (m > MAX_TIMEOUT_MINUTES) return "The job timeout is at most " + MAX_TIMEOUT_MINUTES + " minutes (one week).";
        return null;
    }

    /** The exec mode, "agent" or "docker"; blank = agent. */
    public static String exec(String value) {
        if (value == null || value.isBlank()) return null;
        try {
            ExecMode.parse(value);
            return null;
        } catch (IllegalArgumentException e) {
            String v = value.trim();
            return "Exec mode '" + (v.length() <= 40 ? v : v.substring(0, 40) + "...") + "' is not an exec mode: use agent or docker";
        }
    }

    /** How many jobs run at once, 1 to 64; blank = the default (4). */
    public static String parallel(String value) {
        return ParallelJobs.check(value, "Parallel jobs");
    }

    /** The memory limit of the run's container, such as {@code 512m} or {@code 2g}; blank = none. */
    public static String memory(String value) {
        return MemoryLimit.check(value, "The memory limit");
    }

    /** The timeout field's value as minutes: the default when blank or invalid. */
    public static int timeoutMinutes(String value) {
        if (isBlank(value) || timeout(value) != null) return DEFAULT_TIMEOUT_MINUTES;
        return Integer.parseInt(value.trim());
    }

    /** The file field's value, or the default when blank. */
    public static String fileOrDefault(String value) {
        return isBlank(value) ? DEFAULT_FILE : value.trim();
    }

    /** Null for a blank value, else the trimmed value. */
    public static String trimToNull(String value) {
        return isBlank(value) ? null : value.trim();
    }

    private static String lowerCaseRepository(String v) {
        int at = v.indexOf('@');
        String ref = at < 0 ? v : v.substring(0, at);
        String rest = at < 0 ? "" : v.substring(at);
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        String tag = colon > slash ? ref.substring(colon) : "";
        String name = colon > slash ? ref.substring(0, colon) : ref;
        int firstSlash = name.indexOf('/');
        if (firstSlash > 0) {
            String first = name.substring(0, firstSlash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first + name.substring(firstSlash).toLowerCase(java.util.Locale.ROOT) + tag + rest;
            }
        }
        return name.toLowerCase(java.util.Locale.ROOT) + tag + rest;
    }

    private static boolean isBlank(String s) {
        return s == null || s.trim().isEmpty();
    }
}
