package io.jenkins.plugins.quire.run;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Why: caches are keyed by who owns the pipeline (README, Caches), and the CLI and Jenkins front ends must compute the
 * same key for a run and for listing or clearing its caches. A CLI key is the workspace's canonical path; a Jenkins
 * key names the Jenkins instance (a stable id the front end keeps) and the job's full name. The two kinds cannot
 * collide (a path starts with '/').
 */
public final class CacheOwners {
    private CacheOwners() { }

    /** The owner key of runs of the CLI in {@code workspace}: its real path (links resolved), else its absolute path. */
    public static String workspace(Path workspace) {
        try {
            return workspace.toRealPath().toString();
        } catch (IOException e) {
            return workspace.toAbsolutePath().normalize().toString();
        }
    }

    /** The owner key of a Jenkins job: {@code jenkins <instance> <full name>}. */
    public static String jenkinsJob(String instance, String fullName) {
        return "jenkins " + instance + " " + fullName;
    }
}
