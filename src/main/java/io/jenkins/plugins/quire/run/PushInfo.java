package io.jenkins.plugins.quire.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The outputs of the {@code quire/push} source: {@code sha ref branch tag previous-sha} from the workspace's git
 * repository when there is one, else from the build's environment ({@code GIT_COMMIT}, {@code GIT_BRANCH},
 * {@code GIT_PREVIOUS_COMMIT}), plus {@code build-number build-url job-name} under Jenkins. Absent fields stay nil.
 */
public final class PushInfo {
    private static final long GIT_TIMEOUT_SECONDS = 10;

    private PushInfo() {}

    /** Reads the push outputs for {@code workspace}; {@code env} is the build's environment. */
    public static ObjectNode read(Path workspace, Map<String, String> env) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        String sha = null;
        String ref = null;
        if (Files.exists(workspace.resolve(".git"))) {
            sha = git(workspace, "rev-parse", "--verify", "-q", "HEAD");
            ref = git(workspace, "symbolic-ref", "-q", "HEAD");
            String tag = git(workspace, "describe", "--tags", "--exact-match", "HEAD");
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

    /** One git command in the workspace, its trimmed stdout, or null when it fails or git is missing. */
    private static String git(Path workspace, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "safe.directory=*", "-C", workspace.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) return null;
            String s = new String(out, StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? null : s;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
