package io.jenkins.plugins.quire.cli;

/** The text of {@code quire-ci --help}: the synopsis of every registered command. */
final class Usage {
    private Usage() {}

    static String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: java -jar quire-ci.jar <command> [options]\n\n");
        sb.append("Quire CI: compile and check a Fennel pipeline (.quire/ci.fnl) without Jenkins.\n\n");
        sb.append("Commands:\n");
        for (Command c : Commands.all()) sb.append(c.usage()).append('\n');
        if (Commands.find("run").isEmpty()) {
            sb.append("  run          (coming with the container engine) run the pipeline's jobs in a container\n\n");
        }
        sb.append("Options:\n");
        sb.append("  -h, --help   show this help (also after a command: quire-ci.jar validate --help)\n\n");
        sb.append("Exit codes: 0 success, 1 a job failed, 2 invalid pipeline or command line.\n");
        return sb.toString();
    }

    /** {@code <command> --help}: prints that command's usage to {@code out}; returns exit code 0. */
    static int printFor(Command command, java.io.PrintStream out) {
        out.print("Usage: java -jar quire-ci.jar\n" + command.usage());
        return ExitCodes.OK;
    }
}
