package io.jenkins.plugins.quire.container;

/** Why: how one exec ended, classified from its exit code, our own kills and the container's Docker events. */
public enum ExecOutcome {
    /** Exit code 0. */
    SUCCEEDED,
    /** A non-zero exit code (including 126/127 for a command that could not start). */
    FAILED,
    /** Killed by us because its timeout expired. */
    TIMED_OUT,
    /** Killed by us because the run was aborted ({@link RunContainer#abortRunningExecs}). */
    ABORTED,
    /** The kernel's OOM killer killed the command (or one of its children) while the container survived. */
    COMMAND_OOM_KILLED,
    /**
     * The exec agent running the command died (docs/exec-agent.md): the command's processes were killed and its
     * exit code is unknown; later commands run as plain execs.
     */
    AGENT_DIED,
    /** The container itself died (docker kill, container OOM, removal, engine gone): not a command exit code. */
    CONTAINER_DIED
}
