package io.jenkins.plugins.quire.sandbox;

/**
 * Thrown when a script exceeds its budget or is aborted. It is an {@link Error}, not an exception,
 * because LuaJ's protected calls (and ours) catch {@code LuaError}/{@code Exception}: a script must
 * never be able to catch its own limit with {@code pcall}.
 */
public final class BudgetExceeded extends Error {
    private static final long serialVersionUID = 1L;

    /** LIMIT: a resource limit was hit; ABORTED: stopped from outside (abort button, job timeout). */
    public enum Kind { LIMIT, ABORTED }

    private final Kind kind;
    private final String location;

    public BudgetExceeded(Kind kind, String message, String location) {
        super(message, null, false, false);
        this.kind = kind;
        this.location = location;
    }

    public Kind kind() { return kind; }

    /** "ci.fnl:12" (mapped) where the limit was hit, or null if no Lua frame was running. */
    public String location() { return location; }
}
