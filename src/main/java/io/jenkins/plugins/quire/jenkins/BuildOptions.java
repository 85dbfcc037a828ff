package io.jenkins.plugins.quire.jenkins;

import hudson.EnvVars;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.model.Hudson;
import io.jenkins.plugins.quire.run.CacheOwners;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the controller works out for one build of a job with the "Run Quire CI pipeline" step, before it is sent to
 * its node ({@link NodeRun}): the logs folder inside the build's artifacts ({@code archive/quire/}), the secrets
 * (global ones, overridden by the job's of the same name), the build environment on its node, the container owner
 * label (the Hudson URL), the controller id and the key of the job's caches.
 */
final class BuildOptions {
    /** Folder inside the build's artifacts folder holding {@code log.jsonl} and {@code jobs/<id>/log.jsonl}. */
    static final String LOGS_FOLDER = "quire";

    private BuildOptions() {}

    /** The logs folder of {@code build}: {@code <artifacts>/quire}. */
    static File logsDir(AbstractBuild<?, ?> build) {
        return new File(build.getArtifactsDir(), LOGS_FOLDER);
    }

    /** Global secrets first, then the job's: a job secret replaces a global one of the same name. */
    static Map<String, String> secrets(List<SecretEntry> global, List<SecretEntry> job) {
        Map<String, String> out = new LinkedHashMap<>();
        for (List<SecretEntry> list : Arrays.asList(global, job)) {
            if (list == null) continue;
            for (SecretEntry s : list) {
                if (s == null || s.getName().isEmpty()) continue;
                out.remove(s.getName());
                out.put(s.getName(), s.plainValue());
            }
        }
        return out;
    }

    /** Who owns the run's containers: the Hudson root URL, or {@code hudson:<host>} when none is configured. */
    static String owner() {
        Hudson h = Hudson.getInstance();
        String root = h == null ? null : h.getRootUrl();
        if (root != null && !root.isBlank()) return root;
        try {
            return "hudson:" + InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "hudson:localhost";
        }
    }

    /** The build's environment on its node (node properties may set DOCKER_HOST there). */
    static Map<String, String> environment(AbstractBuild<?, ?> build, BuildListener listener)
            throws IOException, InterruptedException {
        EnvVars env = build.getEnvironment(listener);
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey() != null && e.getValue() != null) environment.put(e.getKey(), e.getValue());
        }
        return environment;
    }

    /** The owner key of a job's caches: this instance's id ({@link InstanceId}) and the job's full name ({@link CacheOwners}). */
    static String cacheOwner(String jobFullName) {
        return CacheOwners.jenkinsJob(InstanceId.get(), jobFullName);
    }
}
