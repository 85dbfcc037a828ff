package io.jenkins.plugins.quire.jenkins;

import hudson.Extension;
import hudson.model.AbstractProject;
import hudson.model.Action;
import hudson.model.Project;
import hudson.model.TransientProjectActionFactory;
import java.util.Collection;
import java.util.List;

/** Why: puts the "Quire CI caches" page on every job that has the "Run Quire CI pipeline" step. */
@Extension
public class QuireCachesActionFactory extends TransientProjectActionFactory {
    @Override
    @SuppressWarnings("rawtypes")
    public Collection<? extends Action> createFor(AbstractProject target) {
        if (target instanceof Project<?, ?> p && p.getBuildersList().get(QuireBuilder.class) != null) {
            return List.of(new QuireCachesAction(target));
        }
        return List.of();
    }
}
