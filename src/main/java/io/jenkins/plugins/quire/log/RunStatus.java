package io.jenkins.plugins.quire.log;

/** Overall result of a run as recorded in the {@code run-end} event; mirrors the build result (docs/language.md). */
public enum RunStatus {
    SUCCESS("success"),
    FAILURE("failure"),
    /** The run's container died (killed, OOM, engine gone): the build fails (docs/architecture.md). */
    CONTAINER_DIED("container-died"),
    ABORTED("aborted");

    private final String wireName;

    RunStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The JSONL value of the {@code status} field. */
    public String wireName() {
        return wireName;
    }

    /** Parses a JSONL {@code status} value; null when unknown. */
    public static RunStatus fromWire(String s) {
        for (RunStatus v : values()) if (v.wireName.equals(s)) return v;
        return null;
    }
}
