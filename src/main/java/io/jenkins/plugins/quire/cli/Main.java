package io.jenkins.plugins.quire.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Entry point of quire-ci.jar: dispatches to a {@link Command} by the first argument. All logic lives in
 * {@link #run(String[], PrintStream, PrintStream)} so tests can call it in-process and read the exit code.
 */
public final class Main {
    /** The pipeline file every subcommand reads unless {@code --file} says otherwise. */
    public static final String DEFAULT_FILE = ".quire/ci.fnl";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit code ({@link ExitCodes}). Never calls System.exit. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return dispatch(Arrays.asList(args), out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int dispatch(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {                       // an incomplete command line: usage on stderr, exit 2
            err.print(Usage.text());
            return ExitCodes.INVALID;
        }
        if (args.get(0).equals("-h") || args.get(0).equals("--help") || args.get(0).equals("help")) {
            out.print(Usage.text());
            return ExitCodes.OK;
        }
        String name = args.get(0);
        Optional<Command> command = Commands.find(name);
        if (command.isEmpty()) {
            String what = name.startsWith("-") ? "unknown option '" + name + "'" : "unknown command '" + name + "'";
            return usageError(what, err);
        }
        try {
            return command.get().run(args.subList(1, args.size()), out, err);
        } catch (UsageException e) {
            return usageError(e.getMessage(), err);
        } catch (java.nio.file.InvalidPathException e) {    // e.g. a non-ASCII name under an ASCII-only locale
            err.println("quire-ci: the path '" + e.getInput() + "' cannot be used: " + e.getReason()
                    + " (file names are encoded as " + System.getProperty("sun.jnu.encoding", "?")
                    + " here; run under a UTF-8 locale, e.g. LC_ALL=C.UTF-8)");
            return ExitCodes.INVALID;
        } catch (RuntimeException | LinkageError e) {       // a bug or a broken installation: say so, exit 2
            err.println("quire-ci: internal error in '" + name + "': " + e);
            return ExitCodes.INVALID;
        }
    }

    private static int usageError(String message, PrintStream err) {
        err.println("quire-ci: " + message);
        err.println("Run 'java -jar quire-ci.jar --help' for usage.");
        return ExitCodes.INVALID;
    }
}
