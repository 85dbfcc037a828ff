package io.jenkins.plugins.quire.jenkins;

import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.quire.container.CacheVolume;
import io.jenkins.plugins.quire.container.DockerEngine;
import io.jenkins.plugins.quire.container.EngineConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why: the caches page and the item listener act on a job's cache volumes in the Docker engine of the node that ran
 * its last build (its environment may name a DOCKER_HOST), else the one of this JVM's environment; both key the
 * volumes as the build step does ({@link BuildOptions#cacheOwner}).
 */
final class JobCaches {
    private JobCaches() { }

    /** The engine the job's last build used (its DOCKER_HOST), else this JVM's. */
    static EngineConfig engineOf(AbstractProject<?, ?> job) {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        Run<?, ?> last = job == null ? null : job.getLastBuild();
        if (last != null) {
            try {
                for (Map.Entry<String, String> e : last.getEnvironment(TaskListener.NULL).entrySet()) {
                    if (e.getKey() != null && e.getValue() != null) env.put(e.getKey(), e.getValue());
                }
            } catch (Exception | LinkageError e) {
                // the node is gone or its environment unreadable: this JVM's engine
            }
        }
        return EngineConfig.fromEnvironment(env);
    }

    /** The job's cache volumes, sorted by path. */
    static List<CacheVolume> list(EngineConfig engine, String jobFullName) {
        try (DockerEngine e = DockerEngine.connect(engine)) {
            return e.cacheVolumes(BuildOptions.cacheOwner(jobFullName));
        }
    }

    /** Removes the job's cache volumes (only {@code path}'s when not null); returns how many were removed. */
    static int clear(EngineConfig engine, String jobFullName, String path) {
        int n = 0;
        try (DockerEngine e = DockerEngine.connect(engine)) {
            for (CacheVolume v : e.cacheVolumes(BuildOptions.cacheOwner(jobFullName))) {
                if (path == null || v.path().equals(path)) {
                    if (e.removeCacheVolume(v.volume())) n++;
                }
            }
        }
        return n;
    }
}
