package io.jenkins.plugins.quire.sandbox;

/**
 * Thrown by a {@link HostFunction} to raise a Lua error whose message the script may see (for
 * example "secret 'x' is not declared"); any other exception is hidden from the script.
 */
public class HostError extends Exception {
    private static final long serialVersionUID = 1L;

    public HostError(String message) {
        super(message, null, false, false);
    }
}
