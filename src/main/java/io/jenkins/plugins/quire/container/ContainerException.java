package io.jenkins.plugins.quire.container;

/**
 * Why: the container backend reports Docker failures with our own exception type, so callers never see
 * docker-java classes. Unchecked; subclasses name the two failures callers treat specially.
 */
public class ContainerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ContainerException(String message) {
        super(message);
    }

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
