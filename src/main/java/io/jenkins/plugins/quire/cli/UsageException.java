package io.jenkins.plugins.quire.cli;

/** A malformed command line: printed as {@code quire-ci: <message>} plus a pointer to {@code --help}, exit 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
