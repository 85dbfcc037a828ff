package io.jenkins.plugins.quire.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One subcommand of quire-ci.jar ({@code validate}, {@code compile}, later {@code run}). Register new ones in
 * {@link Commands#all()}; {@link Main} dispatches on {@link #name()} and prints {@link #usage()} in the help text.
 */
public interface Command {
    /** The word that selects this command on the command line. */
    String name();

    /** The synopsis and option lines shown by {@code --help} (already indented, one or more lines). */
    String usage();

    /**
     * Runs the command.
     *
     * @param args the arguments after the subcommand name
     * @return the process exit code ({@link ExitCodes})
     * @throws UsageException for a malformed command line (Main prints it with a pointer to --help, exit 2)
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws UsageException;
}
