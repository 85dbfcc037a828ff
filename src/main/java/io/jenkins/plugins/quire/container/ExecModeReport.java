package io.jenkins.plugins.quire.container;

/**
 * Why: the run log records which exec mode runs, at start and again when the run falls back to plain
 * {@code docker exec} mid-run, with the reason (the {@code exec-mode} event).
 * @param mode   the mode every {@code sh} uses from now on
 * @param reason why this is not the agent mode (or why it changed); null for the agent mode as asked
 */
public record ExecModeReport(ExecMode mode, String reason) {
    public ExecModeReport {
        if (mode == null) throw new IllegalArgumentException("exec mode must be set");
    }
}
