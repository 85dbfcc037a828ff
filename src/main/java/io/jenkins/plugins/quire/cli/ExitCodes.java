package io.jenkins.plugins.quire.cli;

/** The process exit codes of quire-ci.jar (0, 1, 2, 130: see README.md), shared by every subcommand. */
public final class ExitCodes {
    /** All jobs succeeded or were skipped; validate/compile found no error. */
    public static final int OK = 0;
    /** A job failed or the container died ({@code run} only). */
    public static final int FAILED = 1;
    /** The pipeline is invalid, the engine could not start, or the command line is wrong. */
    public static final int INVALID = 2;

    private ExitCodes() {}
}
