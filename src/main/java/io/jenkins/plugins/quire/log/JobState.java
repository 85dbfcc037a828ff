package io.jenkins.plugins.quire.log;

/** Final state of a job as recorded in a {@code job-end} event (docs/log-format.md). */
public enum JobState {
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    /** Not started: an input failed or was aborted, or the run was aborted or its container died before it. */
    SKIPPED("skipped"),
    /** Running when the run was aborted (abort button, Ctrl-C/SIGTERM, the JVM shutting down). */
    ABORTED("aborted");

    private final String wireName;

    JobState(String wireName) {
        this.wireName = wireName;
    }

    /** The JSONL value of the {@code state} field. */
    public String wireName() {
        return wireName;
    }

    /** Parses a JSONL {@code state} value; null when unknown. */
    public static JobState fromWire(String s) {
        for (JobState v : values()) if (v.wireName.equals(s)) return v;
        return null;
    }
}
