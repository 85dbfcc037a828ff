package io.jenkins.plugins.quire.container;

import java.util.Optional;

/**
 * Why: everything the run layer needs to record about one finished exec ({@code sh-exit}, or
 * {@code container-died}), in our own types.
 */
public final class ExecResult {
    /** Exit code value when the engine reported none (container gone, exec never started). */
    public static final int NO_EXIT_CODE = -1;
    /** The exit code of a process killed by SIGKILL (128 + 9). */
    public static final int KILLED_EXIT_CODE = 137;

    private final ExecOutcome outcome;
    private final int exitCode;
    private final long durationMs;
    private final String signal;
    private final String reason;
    private final long stdoutBytes;
    private final long stderrBytes;
    private final boolean backgroundKilled;

    ExecResult(ExecOutcome outcome, int exitCode, long durationMs, String signal, String reason,
               long stdoutBytes, long stderrBytes, boolean backgroundKilled) {
        this.outcome = outcome;
        // A SIGKILL'd command is never a success: when the main process survived the kill of a child (a shell whose
        // allocation the kernel's OOM killer ended, then "exit 0"), report what a killed process reports: 128 + 9.
        this.exitCode = signal != null && exitCode == 0 ? KILLED_EXIT_CODE : exitCode;
        this.durationMs = durationMs;
        this.signal = signal;
        this.reason = reason;
        this.stdoutBytes = stdoutBytes;
        this.stderrBytes = stderrBytes;
        this.backgroundKilled = backgroundKilled;
    }

    public ExecOutcome outcome() {
        return outcome;
    }

    /**
     * The exit code the engine reported (137 after a SIGKILL), or {@link #NO_EXIT_CODE}; never 0 when
     * {@link #signal()} is set.
     */
    public int exitCode() {
        return exitCode;
    }

    /** From exec creation to the end of its output streams. */
    public long durationMs() {
        return durationMs;
    }

    /** "SIGKILL" when we or the OOM killer killed the command (timeout, abort, command OOM); empty otherwise. */
    public Optional<String> signal() {
        return Optional.ofNullable(signal);
    }

    /**
     * Why it ended abnormally: "timeout after 5 s", "aborted: &lt;reason&gt;", "command OOM-killed ...", or the
     * container's death reason. Empty for a normal exit (success or failure by exit code).
     */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** True when the kernel's OOM killer killed the command or one of its processes (the container survived). */
    public boolean oomKilled() {
        return outcome == ExecOutcome.COMMAND_OOM_KILLED;
    }

    /** True when the container died during (or before) this exec: the exit code then means nothing. */
    public boolean containerDied() {
        return outcome == ExecOutcome.CONTAINER_DIED;
    }

    /** The container's death reason when {@link #containerDied()}. */
    public Optional<String> deathReason() {
        return containerDied() ? Optional.ofNullable(reason) : Optional.empty();
    }

    public boolean succeeded() {
        return outcome == ExecOutcome.SUCCEEDED;
    }

    public long stdoutBytes() {
        return stdoutBytes;
    }

    public long stderrBytes() {
        return stderrBytes;
    }

    /** True when the main process had exited but processes it started were still running and were killed. */
    public boolean backgroundProcessesKilled() {
        return backgroundKilled;
    }

    @Override public String toString() {
        return "ExecResult{" + outcome + ", exit=" + exitCode + ", " + durationMs + " ms"
                + (signal == null ? "" : ", signal=" + signal) + (reason == null ? "" : ", reason=" + reason)
                + ", out=" + stdoutBytes + "B, err=" + stderrBytes + "B" + (backgroundKilled ? ", background killed" : "") + "}";
    }
}
