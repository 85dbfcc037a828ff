package io.jenkins.plugins.quire.e2e;

/**
 * The ci.fnl texts the end-to-end tests run (all on the local {@code quire-test:busybox} image). Kept in one place so
 * a test's expectations sit next to the pipeline that produces them.
 */
final class Pipelines {
    private Pipelines() {}

    static String fnl(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    /**
     * Two jobs passing an output, plus a skipped one; stdout is printed before stderr with a pause, so the console
     * order is the same in every run (the CLI comparison depends on it).
     */
    static String basic(String tag) {
        return fnl("(local ci (require :quire.ci))",
                "(ci.image \"quire-test:busybox\")",
                "(ci.job :hello [:quire/push]",
                "  (fn [{: sh}]",
                "    (let [r (sh \"echo hello-from-" + tag + "; sleep 0.3; echo warn-" + tag + " >&2\")]",
                "      {:greeting (pick-values 1 (r.stdout:gsub \"%s+$\" \"\"))})))",
                "(ci.job :after [:hello]",
                "  (fn [{: sh : jobs}]",
                "    (sh (.. \"echo got \" (. (jobs :hello) :greeting)))",
                "    {:ok true}))",
                // after 'after', so that every job waits for the one before it: two runs print the same lines in the
                // same order whatever the parallelism (the console equality test compares two runs)
                "(ci.job :skipme [:after] (fn [] nil))");
    }

    /** Uses secret {@code token}: in the exec environment, inside a command, and as an output value. */
    static String secret(String expectedValue) {
        return fnl("(local ci (require :quire.ci))",
                "(ci.job :use [:quire/push]",
                "  (fn [{: sh : secret}]",
                "    (sh \"echo token=$TOK; echo token-err=$TOK >&2\" {:env {:TOK (secret :token)}})",
                "    (sh (.. \"test \\\"$TOK\\\" = '\" (secret :token) \"' && echo secret-arrived\") {:env {:TOK (secret :token)}})",
                "    {:leak (secret :token)}))");
    }

    /** A job that sleeps for five minutes after printing a line, and a dependent that never gets to run. */
    static String sleeper() {
        return fnl("(local ci (require :quire.ci))",
                "(ci.job :sleep [:quire/push]",
                "  (fn [{: sh}] (sh \"echo sleeping-now; sleep 300\") {:slept true}))",
                "(ci.job :later [:sleep] (fn [{: sh}] (sh \"echo never\") {}))");
    }

    /** Distinct output per tag, long enough (about 2 s) for four builds to overlap. */
    static String concurrent(String tag, int lines) {
        return fnl("(local ci (require :quire.ci))",
                "(ci.job :work [:quire/push]",
                "  (fn [{: sh}]",
                "    (sh \"for i in $(seq 1 " + lines + "); do echo " + tag + "-line-$i; sleep 0.2; done\")",
                "    {:who \"" + tag + "\"}))",
                "(ci.job :check [:work]",
                "  (fn [{: sh : jobs}]",
                "    (sh (.. \"echo checked-\" (. (jobs :work) :who)))",
                "    {:seen (. (jobs :work) :who)}))");
    }
}
