package io.jenkins.plugins.quire.container;

/** Why: "no Docker engine answers" (missing socket, refused, or no answer before our deadline) is its own error. */
public class EngineUnavailableException extends ContainerException {
    private static final long serialVersionUID = 1L;

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
