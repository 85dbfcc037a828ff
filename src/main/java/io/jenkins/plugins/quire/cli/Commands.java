package io.jenkins.plugins.quire.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The subcommands quire-ci.jar knows, in the order the help text lists them. Register new subcommands here. */
final class Commands {
    private Commands() {}

    static List<Command> all() {
        return List.of(new ValidateCommand(), new CompileCommand(), new RunCommand(), new CacheCommand());
    }

    static Optional<Command> find(String name) {
        Map<String, Command> byName = new LinkedHashMap<>();
        for (Command c : all()) byName.put(c.name(), c);
        return Optional.ofNullable(byName.get(name));
    }
}
