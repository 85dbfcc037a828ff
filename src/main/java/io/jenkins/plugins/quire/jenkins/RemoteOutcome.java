package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.log.RunStatus;
import java.io.Serializable;

/**
 * Why: how a run on the build's node ({@link NodeRun}) ended, in a form that crosses the remoting channel (engine
 * exceptions hold Lua and Docker objects that do not serialise, so only their messages travel). The controller
 * turns it into the build result in {@link BuildRun}.
 */
final class RemoteOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Kind {
        /** The engine ran: {@link #status} says how it ended. */
        RAN,
        /** The pipeline file or a setting was refused before the engine started: {@link #message} says why. */
        REFUSED,
        /** ci.fnl is invalid: {@link #message} is every diagnostic, one per line. */
        INVALID,
        /** The run could not start (no image, no engine): {@link #message} says why. */
        SETUP_FAILED,
        /** The run was aborted ({@link #cleanupFinished} says whether its cleanup ended in time). */
        ABORTED,
        /** A bug: {@link #message} is the one line the user sees. */
        INTERNAL
    }

    final Kind kind;
    final RunStatus status;
    final String message;
    final boolean cleanupFinished;

    private RemoteOutcome(Kind kind, RunStatus status, String message, boolean cleanupFinished) {
        this.kind = kind;
        this.status = status;
        this.message = message;
        this.cleanupFinished = cleanupFinished;
    }

    static RemoteOutcome ran(RunStatus status, String containerDeathReason) {
        return new RemoteOutcome(Kind.RAN, status, containerDeathReason, true);
    }

    static RemoteOutcome of(Kind kind, String message) {
        return new RemoteOutcome(kind, null, message, true);
    }

    static RemoteOutcome aborted(boolean cleanupFinished) {
        return new RemoteOutcome(Kind.ABORTED, RunStatus.ABORTED, null, cleanupFinished);
    }
}
