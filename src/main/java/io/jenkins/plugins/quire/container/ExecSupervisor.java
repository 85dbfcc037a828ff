package io.jenkins.plugins.quire.container;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Why: the decisions of supervising one exec (when to kill its tree, when to reap what its main process left behind,
 * when to give up on the killer and stop the container, how the exec ended) are the subtle part of running a command,
 * and with several execs at once they must be right for each one alone. This class makes them from observations and
 * a clock passed in, and asks for actions; {@link RunContainer} makes the Docker calls. No I/O, no clock of its own:
 * unit-tested without dockerd. One instance per exec, used by the exec's own thread only.
 */
final class ExecSupervisor {
    static final long REAP_LINGER_MS = 200;
    static final long KILL_GRACE_MS = 5000;
    static final long DEATH_STREAM_GRACE_MS = 2000;
    /** After a kill or sweep, how long an open stream is waited for (re-checking the tree) before it is given up. */
    static final long STREAM_AFTER_KILL_LIMIT_MS = 60_000;
    private static final long FIRST_INSPECT_MS = 100;
    private static final long MAX_INSPECT_MS = 1000;

    /** What the caller should do now. */
    enum Action {
        /** Nothing now: wait for the stream to end or the next poll. */
        WAIT,
        /** Ask the engine whether the exec's main process still runs, then report it with {@link #inspected}. */
        INSPECT_EXEC,
        /** Run the process killer in mode KILL (the whole tree), then report with {@link #killerRan}. */
        KILL_TREE,
        /** Run the process killer in mode END (what the exited main process left), then report with {@link #killerRan}. */
        SWEEP_END,
        /** Stop the whole container ({@link Step#why()} says why) and stop watching. */
        ESCALATE,
        /** Stop watching the stream: the container is gone and its stream did not end. */
        STOP_WATCHING
    }

    /** An action and, for {@link Action#ESCALATE}, why. */
    record Step(Action action, String why) {
        static final Step WAIT = new Step(Action.WAIT, null);
    }

    /**
     * What the caller sees at one poll.
     * @param abortReason    the exec's abort request, or null
     * @param listenerFailed the output listener threw
     * @param execDied       the engine's exec_die event for this exec has arrived (its main process exited)
     * @param containerGone  the container is dead or being closed by us
     * @param streamEnded    the exec's output streams have ended
     */
    record Observation(String abortReason, boolean listenerFailed, boolean execDied, boolean containerGone,
                       boolean streamEnded) { }

    private final Duration timeout;
    private final long deadline;
    private ExecOutcome killOutcome;
    private String killReason;
    private boolean backgroundKilled;
    /** A killer ran after the main process exited, or killed the whole exec: nothing of it is left. */
    private boolean cleared;
    private boolean reaped;
    private boolean escalated;
    private String escalateWhy;
    private Action pending;
    /** When the last killer for this exec returned having killed or swept: the grace for its stream runs from here. */
    private long killedAt;
    private long firstKilledAt;
    /** The pending killer is a fresh look at a tree whose stream stayed open through the grace. */
    private boolean rechecking;
    private long mainExitedAt;
    private long deathSeenAt;
    private long lastInspect;
    private long inspectEvery = FIRST_INSPECT_MS;

    /** @param timeout the exec's time limit, or null; {@code startNanos} the clock reading at its start */
    ExecSupervisor(Duration timeout, long startNanos) {
        this.timeout = timeout;
        this.deadline = timeout == null ? Long.MAX_VALUE : startNanos + timeout.toNanos();
        this.lastInspect = startNanos;
    }

    /**
     * The next action at clock reading {@code now}, while the stream is open. Call again after each action (with a
     * fresh observation) until it answers {@link Action#WAIT}, {@link Action#ESCALATE} or {@link Action#STOP_WATCHING}.
     */
    Step next(long now, Observation o) {
        if (pending != null) throw new IllegalStateException("the result of " + pending + " was not reported");
        if (escalateWhy != null && !escalated) {
            escalated = true;
            return new Step(Action.ESCALATE, escalateWhy);
        }
        if (escalated) return new Step(Action.STOP_WATCHING, null);
        if (killOutcome == null) {
            if (o.abortReason() != null) return kill(now, ExecOutcome.ABORTED, "aborted: " + o.abortReason());
            if (o.listenerFailed()) return kill(now, ExecOutcome.ABORTED, "aborted: the output listener failed");
            if (timeout != null && now - deadline >= 0)
                return kill(now, ExecOutcome.TIMED_OUT, "timeout after " + DockerCalls.seconds(timeout));
            if (!reaped) {
                if (mainExitedAt == 0) {
                    if (o.execDied()) {
                        mainExitedAt = now;
                    } else if (millisSince(lastInspect, now) >= inspectEvery) {
                        // dockerd 20.10 sends exec_die only once the streams close, so poll inspectExec as well:
                        // every 100 ms at first, backing off to once a second for long commands.
                        lastInspect = now;
                        inspectEvery = Math.min(MAX_INSPECT_MS, inspectEvery * 2);
                        pending = Action.INSPECT_EXEC;
                        return new Step(Action.INSPECT_EXEC, null);
                    }
                } else if (millisSince(mainExitedAt, now) >= REAP_LINGER_MS) {
                    // the main process exited but background children hold the streams open
                    reaped = true;
                    pending = Action.SWEEP_END;
                    return new Step(Action.SWEEP_END, null);
                }
            }
        }
        if (killedAt != 0 && millisSince(killedAt, now) > KILL_GRACE_MS && !o.containerGone()) {
            // The stream is still open. A loaded engine closes it late (seconds, with dozens of execs at once), so
            // look again instead of concluding: only a tree that still has something to kill is a tree that
            // outlived SIGKILL. Nothing left but an open stream: wait, up to a limit, then stop watching it.
            if (millisSince(firstKilledAt, now) > STREAM_AFTER_KILL_LIMIT_MS) return new Step(Action.STOP_WATCHING, null);
            rechecking = true;
            pending = killOutcome != null ? Action.KILL_TREE : Action.SWEEP_END;
            return new Step(pending, null);
        }
        if (deathSeenAt == 0 && o.containerGone()) deathSeenAt = now;
        if (deathSeenAt != 0 && millisSince(deathSeenAt, now) > DEATH_STREAM_GRACE_MS)
            return new Step(Action.STOP_WATCHING, null);
        return Step.WAIT;
    }

    private Step kill(long now, ExecOutcome outcome, String reason) {
        killOutcome = outcome;
        killReason = reason;
        pending = Action.KILL_TREE;
        return new Step(Action.KILL_TREE, null);
    }

    /** The answer to {@link Action#INSPECT_EXEC}: whether the main process still runs (true when unknown). */
    void inspected(boolean running, long now) {
        expect(Action.INSPECT_EXEC);
        if (!running) mainExitedAt = now;
    }

    /**
     * The process killer's result: the number of processes it killed, or -1 when it could not run.
     * @param after what the caller sees once the killer returned
     */
    void killerRan(int killed, long now, Observation after) {
        if (rechecking && (pending == Action.KILL_TREE || pending == Action.SWEEP_END)) {
            pending = null;
            rechecking = false;
            if (killed > 0) escalateWhy = "its process tree did not die after SIGKILL";
            else if (killed < 0 && !after.streamEnded() && !after.containerGone())
                escalateWhy = "the process killer could not run in the container";
            killedAt = now;
            return;
        }
        if (pending == Action.KILL_TREE) {
            pending = null;
            cleared = killed >= 0;
            killedAt = now;
            if (firstKilledAt == 0) firstKilledAt = now;
            if (killed < 0 && !after.streamEnded() && !after.containerGone())
                escalateWhy = "the process killer could not run in the container";
        } else if (pending == Action.SWEEP_END) {
            pending = null;
            cleared = killed >= 0;
            backgroundKilled = killed > 0;
            killedAt = now;
            if (firstKilledAt == 0) firstKilledAt = now;
        } else {
            throw new IllegalStateException("no killer was asked for (pending: " + pending + ")");
        }
    }

    /**
     * Once the stream has ended: the sweep that makes sure nothing the exec started outlives it, or WAIT when none
     * is needed (a killer already cleared it, or the container is gone). Report its result with {@link #swept}.
     */
    Step atEnd(boolean mainExited, boolean containerGone) {
        if (cleared || containerGone) return Step.WAIT;
        Action a = mainExited ? Action.SWEEP_END : Action.KILL_TREE;
        return new Step(a, null);
    }

    /** The result of the killer {@link #atEnd} asked for. */
    void swept(int killed) {
        cleared = killed >= 0;
        if (killed > 0) backgroundKilled = true;
    }

    /** Why the supervisor killed the exec (its outcome and reason), null when it did not. */
    ExecOutcome killOutcome() {
        return killOutcome;
    }

    String killReason() {
        return killReason;
    }

    boolean backgroundKilled() {
        return backgroundKilled;
    }

    /**
     * Whether an OOM kill seen while an exec ran is taken for the exec's own. The container's count (and Docker's
     * {@code oom} event) does not say whose process the kernel chose. An exec that ran alone owns it, even when it
     * went on to exit by itself (a shell whose child was killed). One that ran beside another exec (jobs running at
     * once) owns it only when it died of SIGKILL itself: else a sibling's kill would fail a command that succeeded.
     */
    static boolean oomIsOwn(boolean overlapped, boolean diedOfSigkill) {
        return !overlapped || diedOfSigkill;
    }

    /** Everything known about an exec once it ended, for {@link #classify}. */
    record Ending(Integer exit, long durationMs, boolean closedByUs, boolean containerDied,
                  Supplier<String> deathReason, int oomKills, Long memoryBytes, Throwable streamError,
                  long stdoutBytes, long stderrBytes) { }

    /** How the exec ended: an abort or timeout we caused, the container's death, a command OOM kill, or its exit. */
    ExecResult classify(Ending e) {
        int code = e.exit() == null ? ExecResult.NO_EXIT_CODE : e.exit();
        long ms = e.durationMs();
        if (killOutcome == ExecOutcome.ABORTED) {
            // we killed it on purpose: its tree, or the whole container when the tree killer could not run (an abort
            // is an abort even then, not a container death)
            return new ExecResult(ExecOutcome.ABORTED, code, ms, "SIGKILL", killReason, e.stdoutBytes(), e.stderrBytes(), false);
        }
        if (e.closedByUs() && killOutcome == null) {
            return new ExecResult(ExecOutcome.ABORTED, code, ms, null, "aborted: the container was closed",
                    e.stdoutBytes(), e.stderrBytes(), backgroundKilled);
        }
        if (e.containerDied()) {
            return new ExecResult(ExecOutcome.CONTAINER_DIED, code, ms, null, e.deathReason().get(),
                    e.stdoutBytes(), e.stderrBytes(), backgroundKilled);
        }
        if (killOutcome != null) {
            // the signal is reported only when the command died of it (not when it had exited by itself just before)
            String signal = e.exit() == null || e.exit() == 128 + 9 ? "SIGKILL" : null;
            return new ExecResult(killOutcome, code, ms, signal, killReason, e.stdoutBytes(), e.stderrBytes(), false);
        }
        if (e.oomKills() > 0) {
            String limit = e.memoryBytes() == null ? "" : " (container memory limit " + mib(e.memoryBytes()) + ")";
            return new ExecResult(ExecOutcome.COMMAND_OOM_KILLED, code, ms, "SIGKILL", "command OOM-killed: out of memory"
                    + limit, e.stdoutBytes(), e.stderrBytes(), backgroundKilled);
        }
        if (e.exit() == null) {
            String why = e.streamError() != null ? "the exec's output stream failed: " + DockerCalls.rootMessage(e.streamError())
                    : "the engine reported no exit code";
            return new ExecResult(ExecOutcome.FAILED, code, ms, null, why, e.stdoutBytes(), e.stderrBytes(), backgroundKilled);
        }
        return new ExecResult(e.exit() == 0 ? ExecOutcome.SUCCEEDED : ExecOutcome.FAILED, code, ms, null, null,
                e.stdoutBytes(), e.stderrBytes(), backgroundKilled);
    }

    private void expect(Action a) {
        if (pending != a) throw new IllegalStateException("no " + a + " was asked for (pending: " + pending + ")");
        pending = null;
    }

    private static long millisSince(long then, long now) {
        return (now - then) / 1_000_000;
    }

    static String mib(long bytes) {
        return bytes % (1024 * 1024) == 0 ? (bytes / (1024 * 1024)) + " MiB" : bytes + " bytes";
    }
}
