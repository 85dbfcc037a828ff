package io.jenkins.plugins.quire.run;

/**
 * The run could not start: no image was named, the Docker engine does not answer, the image is missing and could
 * not be pulled, or the logs folder cannot be written. The message says which, and what to do; no job ran.
 */
public final class RunSetupException extends Exception {
    private static final long serialVersionUID = 1L;

    public RunSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
