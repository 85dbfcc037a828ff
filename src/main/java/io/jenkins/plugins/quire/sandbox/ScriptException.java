package io.jenkins.plugins.quire.sandbox;

/**
 * Why a Lua run failed, in words a pipeline author understands: a script error (ERROR) located in
 * the user's source ("ci.fnl:12: attempt to index a nil value (local 'push')"), a resource limit
 * (LIMIT), or an abort from outside (ABORTED). Never carries host exception texts.
 */
public final class ScriptException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind { ERROR, LIMIT, ABORTED }

    private final Kind kind;
    private final String traceback;

    public ScriptException(Kind kind, String message, String traceback) {
        super(message, null, false, false);
        this.kind = kind;
        this.traceback = traceback;
    }

    public Kind kind() { return kind; }

    /** The message followed by "stack traceback:" lines when known; otherwise just the message. */
    public String traceback() {
        return traceback == null ? getMessage() : getMessage() + "\n" + traceback;
    }
}
