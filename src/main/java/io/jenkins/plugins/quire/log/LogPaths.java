package io.jenkins.plugins.quire.log;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Where the log files of a run live inside its logs folder (docs/log-format.md); shared by writer and readers. */
public final class LogPaths {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.-]+");

    private LogPaths() {}

    /** {@code <logs>/log.jsonl}. */
    public static Path runFile(Path logsDir) {
        return logsDir.resolve("log.jsonl");
    }

    /** {@code <logs>/jobs/<id>/log.jsonl}; {@code id} must pass {@link #checkJobId}. */
    public static Path jobFile(Path logsDir, String jobId) {
        checkJobId(jobId);
        return logsDir.resolve("jobs").resolve(jobId).resolve("log.jsonl");
    }

    /**
     * Refuses ids that could leave the logs folder: an id is one or more segments of {@code [A-Za-z0-9_.-]+}
     * (not {@code .} or {@code ..}) separated by {@code /}, so {@code quire/push} is allowed.
     *
     * @throws IllegalArgumentException naming the id
     */
    public static void checkJobId(String id) {
        boolean ok = id != null && !id.isEmpty();
        if (ok) {
            for (String seg : id.split("/", -1)) {
                if (!SEGMENT.matcher(seg).matches() || seg.equals(".") || seg.equals("..")) ok = false;
            }
        }
        if (!ok) throw new IllegalArgumentException("job id '" + id + "' is not path-safe for the logs folder");
    }
}
