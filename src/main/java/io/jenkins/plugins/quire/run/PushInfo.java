package io.jenkins.plugins.quire.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.quire.log.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The outputs of the {@code quire/push} source: {@code sha ref branch tag previous-sha} from the workspace's git
 * repository when there is one, else from the build's environment ({@code GIT_COMMIT}, {@code GIT_BRANCH},
 * {@code GIT_PREVIOUS_COMMIT}), plus {@code build-number build-url job-name} under Jenkins. Absent fields stay nil.
 */
public final class PushInfo {
    /** How long all git commands of one push may take together, their output included. */
    static final Duration GIT_DEADLINE = Duration.ofSeconds(10);
    /** More than any sha, ref or tag name git prints. */
    private static final int MAX_OUTPUT = 64 * 1024;

    private PushInfo() {}

    /**
     * Reads the push outputs for {@code workspace} within {@link #GIT_DEADLINE}; {@code env} is the build's
     * environment.
     *
     * @throws TimeoutException git did not finish in time (something in {@code .git} blocks reading it); the
     *                          message says which command and where
     */
    public static ObjectNode read(Path workspace, Map<String, String> env) throws TimeoutException {
        return read(workspace, env, GIT_DEADLINE);
    }

    /** As {@link #read(Path, Map)}, with every git command together finished within {@code deadline}. */
    static ObjectNode read(Path workspace, Map<String, String> env, Duration deadline) throws TimeoutException {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        String sha = null;
        String ref = null;
        if (Files.exists(workspace.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
            Git git = new Git(workspace, deadline);
            sha = git.run("rev-parse", "--verify", "-q", "HEAD");
            ref = git.run("symbolic-ref", "-q", "HEAD");
            String tag = git.run("describe", "--tags", "--exact-match", "HEAD");
            if (tag != null) out.put("tag", tag);
            if (ref == null && tag != null) ref = "refs/tags/" + tag;
        }
        if (sha == null) sha = env.get("GIT_COMMIT");
        if (ref == null && env.get("GIT_BRANCH") != null) ref = branchRef(env.get("GIT_BRANCH"));
        put(out, "sha", sha);
        put(out, "ref", ref);
        if (ref != null && ref.startsWith("refs/heads/")) out.put("branch", ref.substring("refs/heads/".length()));
        if (ref != null && ref.startsWith("refs/tags/") && !out.has("tag")) {
            out.put("tag", ref.substring("refs/tags/".length()));
        }
        put(out, "previous-sha", env.get("GIT_PREVIOUS_COMMIT"));
        putNumber(out, "build-number", env.get("BUILD_NUMBER"));
        put(out, "build-url", env.get("BUILD_URL"));
        put(out, "job-name", env.get("JOB_NAME"));
        return out;
    }

    /** Jenkins' git plugin gives {@code origin/main}; a plain {@code main} or a full ref are taken as they are. */
    static String branchRef(String gitBranch) {
        if (gitBranch.startsWith("refs/")) return gitBranch;
        int slash = gitBranch.indexOf('/');
        String name = slash > 0 && gitBranch.startsWith("origin/") ? gitBranch.substring(slash + 1) : gitBranch;
        return "refs/heads/" + name;
    }

    private static void put(ObjectNode out, String key, String value) {
        if (value != null && !value.isEmpty()) out.put(key, value);
    }

    private static void putNumber(ObjectNode out, String key, String value) {
        if (value == null || value.isEmpty()) return;
        try {
            out.put(key, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            out.put(key, value);
        }
    }

    /**
     * git on a repository a job could write: one deadline for all commands (covering their output), no system
     * config, no pager, no prompt, no optional index writes, no search above the workspace, and the settings that
     * name programs (fsmonitor, hooks, pager, ssh, gpg) overridden on the command line, which wins over
     * {@code .git/config}.
     */
    private static final class Git {
        private final Path workspace;
        private final Duration deadline;
        private final long endNanos;

        Git(Path workspace, Duration deadline) {
            this.workspace = workspace;
            this.deadline = deadline;
            this.endNanos = System.nanoTime() + deadline.toNanos();
        }

        /** Trimmed stdout, or null when git fails or is missing. */
        String run(String... args) throws TimeoutException {
            List<String> cmd = new ArrayList<>(List.of("git", "--no-pager", "-c", "safe.directory=*",
                    "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "core.pager=cat",
                    "-c", "core.sshCommand=false", "-c", "gpg.program=false", "-c", "core.alternateRefsCommand=",
                    "-C", workspace.toString()));
            cmd.addAll(List.of(args));
            Map<String, String> env = new HashMap<>();
            env.put("GIT_CONFIG_NOSYSTEM", "1");
            env.put("GIT_TERMINAL_PROMPT", "0");
            env.put("GIT_OPTIONAL_LOCKS", "0");
            env.put("GIT_PAGER", "cat");
            Path parent = workspace.toAbsolutePath().getParent();
            if (parent != null) env.put("GIT_CEILING_DIRECTORIES", parent.toString());
            try {
                HostProcess.Result r = HostProcess.run(cmd, env, MAX_OUTPUT, endNanos);
                if (r.exit() != 0) return null;
                String s = r.stdout().trim();
                return s.isEmpty() ? null : s;
            } catch (TimeoutException e) {
                throw new TimeoutException("git " + String.join(" ", args) + " did not finish within "
                        + Durations.format(deadline.toMillis()) + " and was killed: something in "
                        + workspace.resolve(".git") + " blocks reading it (a FIFO?)");
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
