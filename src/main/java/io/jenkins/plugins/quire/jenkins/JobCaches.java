package io.jenkins.plugins.quire.jenkins;

import hudson.model.AbstractBuild;
import hudson.model.AbstractProject;
import hudson.model.Hudson;
import hudson.model.Node;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.quire.container.CacheVolume;
import java.io.IOException;
import java.util.List;

/**
 * Why: the caches page and the item listener act on a job's cache volumes in the Docker engine the job's last build
 * used, on the node that ran it ({@link CachesOnNode}, sent through that node's channel; the built-in node when the
 * job never built); both key the volumes as the build step does ({@link BuildOptions#cacheOwner}). The engine is the
 * one the build recorded ({@link QuireRunAction#recordEngine}), not worked out again from a finished build, whose
 * environment no longer holds what node properties gave it then.
 */
final class JobCaches {
    private JobCaches() { }

    /** The job's cache volumes, sorted by path. */
    static List<CacheVolume> list(AbstractProject<?, ?> job, String jobFullName) {
        return onLastNode(job, CachesOnNode.create(engineOf(job), BuildOptions.cacheOwner(jobFullName), false, null));
    }

    /** Removes the job's cache volumes (only {@code path}'s when not null); returns how many were removed. */
    static int clear(AbstractProject<?, ?> job, String jobFullName, String path) {
        return onLastNode(job, CachesOnNode.create(engineOf(job), BuildOptions.cacheOwner(jobFullName), true, path)).size();
    }

    private static List<CacheVolume> onLastNode(AbstractProject<?, ?> job, hudson.remoting.Callable<List<CacheVolume>, RuntimeException> call) {
        AbstractBuild<?, ?> last = job == null ? null : job.getLastBuild();
        Node node = last == null ? null : last.getBuiltOn();
        if (node == null) node = Hudson.getInstance();
        VirtualChannel channel = node.getChannel();
        String name = node.getNodeName() == null || node.getNodeName().isEmpty() ? "the built-in node" : "node '" + node.getNodeName() + "'";
        if (channel == null) throw new IllegalStateException(name + ", which ran the job's last build, is offline");
        try {
            return channel.call(call);
        } catch (IOException e) {
            throw new IllegalStateException("could not reach " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + name, e);
        }
    }

    /**
     * The DOCKER_HOST of the engine the job's last build used, null for its node's default: as the build recorded it;
     * for a build made before builds recorded it, from that build's environment as it reads now.
     */
    static String engineOf(AbstractProject<?, ?> job) {
        AbstractBuild<?, ?> last = job == null ? null : job.getLastBuild();
        if (last == null) return null;
        QuireRunAction recorded = last.getAction(QuireRunAction.class);
        if (recorded != null && recorded.engineRecorded()) return recorded.engineHost();
        try {
            return last.getEnvironment(TaskListener.NULL).get("DOCKER_HOST");
        } catch (Exception | LinkageError e) {
            return null; // the environment cannot be read (the node is gone): the node's own engine
        }
    }
}
