package io.jenkins.plugins.quire.jenkins;

import hudson.Extension;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.listeners.ItemListener;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Why: a job's caches are keyed by its full name, so they must go with it. Deleting a job removes its cache volumes;
 * renaming one removes those of the old name (a volume cannot be renamed, and copying gigabytes of cache on a rename
 * is not worth it: the renamed job fills new caches on its next build). Acts on the engine of the node that ran the
 * job's last build, as the caches page does ({@link JobCaches}); a failure is logged, never stops the delete or rename.
 */
@Extension
public class QuireCachesItemListener extends ItemListener {
    private static final Logger LOGGER = Logger.getLogger(QuireCachesItemListener.class.getName());

    @Override
    public void onDeleted(Item item) {
        if (item instanceof AbstractProject<?, ?> job) clear(job, item.getFullName());
    }

    @Override
    public void onRenamed(Item item, String oldName, String newName) {
        if (!(item instanceof AbstractProject<?, ?> job)) return;
        String full = item.getFullName();
        String parent = full.length() > newName.length() ? full.substring(0, full.length() - newName.length()) : "";
        clear(job, parent + oldName);
    }

    private static void clear(AbstractProject<?, ?> job, String jobFullName) {
        try {
            int n = JobCaches.clear(job, jobFullName, null);
            if (n > 0) LOGGER.info("Quire CI: removed " + n + " cache volume(s) of job " + jobFullName);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Quire CI: could not remove the cache volumes of job " + jobFullName + ": " + e.getMessage());
        }
    }
}
