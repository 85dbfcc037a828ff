package io.jenkins.plugins.quire.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A subcommand's options, parsed strictly: only declared options, each taking one value ({@code --file PATH} or
 * {@code --file=PATH}); a non-repeatable option given twice, a missing value, an unknown option or a stray argument
 * is a {@link UsageException} naming it. {@code -h}/{@code --help} anywhere sets {@link #help()}.
 */
public final class ParsedArgs {
    private final Map<String, List<String>> values;
    private final boolean help;

    private ParsedArgs(Map<String, List<String>> values, boolean help) {
        this.values = values;
        this.help = help;
    }

    /**
     * @param command    the subcommand name, for messages
     * @param args       the arguments after the subcommand
     * @param options    the value-taking options this subcommand accepts (e.g. {@code --file})
     * @param repeatable those of {@code options} that may be given more than once (e.g. {@code --secret})
     */
    public static ParsedArgs parse(String command, List<String> args, Set<String> options, Set<String> repeatable)
            throws UsageException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h") || arg.equals("--help")) {
                help = true;
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!options.contains(name)) {
                if (arg.startsWith("-")) throw new UsageException("unknown option '" + name + "' for '" + command + "'");
                throw new UsageException("unexpected argument '" + arg + "' for '" + command + "'");
            }
            if (value == null) {
                if (i + 1 >= args.size()) throw new UsageException("option '" + name + "' needs a value");
                value = args.get(++i);
            }
            if (value.isEmpty()) throw new UsageException("option '" + name + "' needs a non-empty value");
            List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
            if (!list.isEmpty() && !repeatable.contains(name)) {
                throw new UsageException("option '" + name + "' given more than once");
            }
            list.add(value);
        }
        return new ParsedArgs(values, help);
    }

    /** True if {@code -h} or {@code --help} was given. */
    public boolean help() {
        return help;
    }

    /** The value of a single-valued option, or the default. */
    public String value(String option, String defaultValue) {
        List<String> list = values.get(option);
        return list == null ? defaultValue : list.get(0);
    }

    /** Every value of a repeatable option, in order (empty if absent). */
    public List<String> values(String option) {
        return List.copyOf(values.getOrDefault(option, List.of()));
    }
}
