package io.jenkins.plugins.quire.sandbox;

import org.luaj.vm2.LuaError;

/**
 * A Lua error whose final message is already decided (position included or deliberately left
 * out, as for {@code error(msg, 0)}). LuaJ only runs its error hook on errors without a traceback,
 * so setting one here stops LuaJ from prefixing a (wrong) position of its own.
 */
public final class LocatedError extends LuaError {
    private static final long serialVersionUID = 1L;

    public LocatedError(String message) {
        super(message, 0);
        this.traceback = message;
    }
}
