package io.jenkins.plugins.quire.cli;

import io.jenkins.plugins.quire.container.CacheVolume;
import io.jenkins.plugins.quire.container.ContainerException;
import io.jenkins.plugins.quire.container.DockerEngine;
import io.jenkins.plugins.quire.container.EngineConfig;
import io.jenkins.plugins.quire.container.EngineUnavailableException;
import io.jenkins.plugins.quire.pipeline.CachePaths;
import io.jenkins.plugins.quire.run.CacheOwners;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code quire-ci cache list|clear [--workspace DIR] [PATH]}: shows or removes the cache volumes of runs in a workspace
 * (README, Caches), in the Docker engine DOCKER_HOST names. Exit 0 when done, 1 when a volume is in use by a running
 * build, 2 for a wrong command line, an unknown cache path or no engine.
 */
final class CacheCommand implements Command {
    private final Map<String, String> environment;

    CacheCommand() {
        this(System.getenv());
    }

    CacheCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public String usage() {
        return "  cache list [--workspace DIR]\n"
                + "  cache clear [--workspace DIR] [PATH]\n"
                + "               list or remove the caches ((ci.cache PATH)) of runs in a workspace: Docker volumes\n"
                + "               in the engine of DOCKER_HOST; clear removes every cache of the workspace, or PATH's\n"
                + "               --workspace DIR   the workspace the runs used (default: the current directory)\n";
    }

    /** The action, the PATH (or null) and the options, split from the arguments after {@code cache}. */
    record Request(String action, String path, ParsedArgs options) { }

    static Request parse(List<String> args) throws UsageException {
        List<String> rest = new ArrayList<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--workspace") && i + 1 < args.size()) {
                rest.add(a);
                rest.add(args.get(++i));
            } else if (a.startsWith("-") && !a.equals("-")) {
                rest.add(a);
            } else {
                positional.add(a);
            }
        }
        ParsedArgs options = ParsedArgs.parse("cache", rest, Set.of("--workspace"), Set.of());
        if (options.help()) return new Request(null, null, options);
        if (positional.isEmpty()) throw new UsageException("'cache' needs an action: list or clear");
        String action = positional.get(0);
        if (!action.equals("list") && !action.equals("clear"))
            throw new UsageException("unknown action '" + action + "' for 'cache': use list or clear");
        if (action.equals("list") && positional.size() > 1)
            throw new UsageException("unexpected argument '" + positional.get(1) + "' for 'cache list'");
        if (positional.size() > 2)
            throw new UsageException("unexpected argument '" + positional.get(2) + "' for 'cache clear'");
        String path = positional.size() == 2 ? positional.get(1) : null;
        if (path != null) {
            try {
                path = CachePaths.normalise(path);
            } catch (IllegalArgumentException e) {
                throw new UsageException("cache path '" + path + "': " + e.getMessage());
            }
        }
        return new Request(action, path, options);
    }

    /** One listing line: the path, the volume, its size and when it was made. */
    static String line(CacheVolume v) {
        return v.path() + "  " + v.volume() + "  size " + v.sizeText()
                + "  created " + (v.created().isEmpty() ? "(unknown)" : v.created());
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Request r = parse(args);
        if (r.options().help()) return Usage.printFor(this, out);
        Path workspace = Path.of(r.options().value("--workspace", ".")).toAbsolutePath().normalize();
        if (!Files.isDirectory(workspace)) {
            err.println("quire-ci: --workspace " + workspace + " is not a directory");
            return ExitCodes.INVALID;
        }
        String owner = CacheOwners.workspace(workspace);
        EngineConfig config;
        try {
            config = EngineConfig.fromEnvironment(environment);
        } catch (IllegalArgumentException e) {
            err.println("quire-ci: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        try (DockerEngine engine = DockerEngine.connect(config)) {
            List<CacheVolume> caches = engine.cacheVolumes(owner);
            if (r.action().equals("list")) {
                if (caches.isEmpty()) out.println("No caches for workspace " + owner + ".");
                for (CacheVolume v : caches) out.println(line(v));
                return ExitCodes.OK;
            }
            List<CacheVolume> chosen = caches.stream().filter(v -> r.path() == null || v.path().equals(r.path())).toList();
            if (r.path() != null && chosen.isEmpty()) {
                err.println("quire-ci: no cache '" + r.path() + "' for workspace " + owner + " (see 'quire-ci cache list')");
                return ExitCodes.INVALID;
            }
            int failed = 0;
            for (CacheVolume v : chosen) {
                try {
                    engine.removeCacheVolume(v.volume());
                    out.println("removed " + v.path() + " (" + v.volume() + ")");
                } catch (ContainerException e) {
                    err.println("quire-ci: " + e.getMessage());
                    failed++;
                }
            }
            if (chosen.isEmpty()) out.println("No caches for workspace " + owner + ".");
            return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (EngineUnavailableException e) {
            err.println("quire-ci: " + e.getMessage());
            return ExitCodes.INVALID;
        }
    }
}
