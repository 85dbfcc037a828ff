package io.jenkins.plugins.quire.jenkins;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;
import java.io.IOException;

/**
 * Gives the Quire CI page to any finished build whose artifacts hold {@code quire/log.jsonl}: this is the
 * Jenkinsfile / "Execute shell" path (docs/architecture.md), where the command-line runner writes the logs with
 * {@code --logs quire} and the job archives {@code quire/**}. Builds of the Quire CI build step already have the
 * action; attaching is idempotent.
 */
@Extension
@SuppressWarnings("rawtypes") // RunListener finds its target type from the raw type argument, in Hudson and Jenkins
public class QuireRunListener extends RunListener<Run> {
    public QuireRunListener() {
        super(Run.class);
    }

    @Override
    public void onCompleted(Run r, TaskListener listener) {
        if (r.getAction(QuireRunAction.class) != null || !QuireRunAction.hasRunLog(r)) return;
        QuireRunAction.attachTo(r);
        try {
            r.save();
        } catch (IOException e) {
            listener.error("Quire CI: could not save the build after attaching its page: " + e.getMessage());
        }
    }
}
