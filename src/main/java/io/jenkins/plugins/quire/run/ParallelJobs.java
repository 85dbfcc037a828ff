package io.jenkins.plugins.quire.run;

/**
 * Why: how many jobs run at once is typed by users ({@code --parallel 4}, the build step's "Parallel jobs" field),
 * so it is read here once and refused with a message naming the setting when it is not a whole number from 1 to
 * {@link RunOptions#MAX_PARALLEL}.
 */
public final class ParallelJobs {
    private ParallelJobs() {}

    /**
     * @param setting how the caller names the value in errors, e.g. {@code --parallel} or {@code Parallel jobs}
     * @return the number, or {@link RunOptions#DEFAULT_PARALLEL} for a blank value
     * @throws IllegalArgumentException naming the setting and the value
     */
    public static int parse(String value, String setting) {
        String error = check(value, setting);
        if (error != null) throw new IllegalArgumentException(error);
        return value == null || value.isBlank() ? RunOptions.DEFAULT_PARALLEL : Integer.parseInt(value.trim());
    }

    /** The error message for {@code value}, or null when it is blank (the default) or valid. */
    public static String check(String value, String setting) {
        if (value == null || value.isBlank()) return null;
        String v = value.trim();
        if (!v.matches("\\d{1,9}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > RunOptions.MAX_PARALLEL) {
            return setting + " '" + (v.length() <= 40 ? v : v.substring(0, 40) + "...")
                    + "' is not a whole number from 1 to " + RunOptions.MAX_PARALLEL;
        }
        return null;
    }
}
