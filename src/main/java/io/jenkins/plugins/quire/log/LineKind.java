package io.jenkins.plugins.quire.log;

/**
 * What a console line is, so a sink can mark or style it (the Jenkins console prefixes an invisible marker per
 * kind, see docs/log-format.md). The formatter itself never emits control characters, but every
 * text can hold user-controlled content: {@link #STDOUT} and {@link #STDERR} relay command output verbatim, and
 * commands, error messages and reasons come from the pipeline. A sink that gives meaning to characters in the text
 * (markers, console notes) must neutralise them in every line it relays.
 */
public enum LineKind {
    /** {@code ==> job <id>}. */
    JOB_START,
    /** {@code $ <cmd>}. */
    CMD,
    /** A line of a command's stdout, verbatim. */
    STDOUT,
    /** A line of a command's stderr, prefixed with {@code ! }. */
    STDERR,
    /** {@code exit <code> (<ms> ms)}. */
    EXIT,
    /** {@code <== job <id> <state> (<duration>)[: <reason>]}. */
    JOB_END,
    /** The closing summary table and result line. */
    SUMMARY,
    /** Container started or ended. */
    INFO,
    /** Container died; continuation lines of a job's error message. */
    ERROR
}
