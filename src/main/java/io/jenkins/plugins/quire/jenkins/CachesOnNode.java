package io.jenkins.plugins.quire.jenkins;

import hudson.remoting.Callable;
import io.jenkins.plugins.quire.container.CacheVolume;
import io.jenkins.plugins.quire.container.DockerEngine;
import io.jenkins.plugins.quire.container.EngineConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why: a job's caches live in the Docker engine of the node that ran its builds, which the controller often cannot
 * reach (an agent's own local socket). This callable runs on that node (through its channel; in the controller's own
 * JVM for the built-in node) and lists the job's cache volumes there, or removes them (all, or one path's). The
 * engine is the one the job's last build used ({@link JobCaches#engineOf}); without one, the node's own DOCKER_HOST
 * or default socket.
 */
class CachesOnNode implements Callable<List<CacheVolume>, RuntimeException> {
    private static final long serialVersionUID = 1L;
    /** How many times this JVM ran one (tests check on which node the caches were asked for). */
    private static final java.util.concurrent.atomic.AtomicInteger CALLS = new java.util.concurrent.atomic.AtomicInteger();

    private final String dockerHost;
    private final String owner;
    private final boolean clear;
    private final String path;

    /** {@link CachesOnNodeWithRoles} where the remoting role types exist, else a plain one (see {@link NodeRun#create}). */
    static Callable<List<CacheVolume>, RuntimeException> create(String dockerHost, String owner, boolean clear, String path) {
        if (RemotingRoles.PRESENT) return new CachesOnNodeWithRoles(dockerHost, owner, clear, path);
        return new CachesOnNode(dockerHost, owner, clear, path);
    }

    /** @param dockerHost the engine to ask, or null for the node's own (its DOCKER_HOST, else the default socket) */
    CachesOnNode(String dockerHost, String owner, boolean clear, String path) {
        this.dockerHost = dockerHost;
        this.owner = owner;
        this.clear = clear;
        this.path = path;
    }

    /** @return the job's cache volumes on this node; when clearing, the ones removed */
    static int calls() {
        return CALLS.get();
    }

    @Override
    public List<CacheVolume> call() {
        CALLS.incrementAndGet();
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        if (dockerHost != null && !dockerHost.isBlank()) env.put("DOCKER_HOST", dockerHost);
        try (DockerEngine e = DockerEngine.connect(EngineConfig.fromEnvironment(env))) {
            List<CacheVolume> volumes = e.cacheVolumes(owner);
            if (!clear) return volumes;
            List<CacheVolume> removed = new ArrayList<>();
            for (CacheVolume v : volumes) {
                if ((path == null || v.path().equals(path)) && e.removeCacheVolume(v.volume())) removed.add(v);
            }
            return removed;
        }
    }
}
