package io.jenkins.plugins.quire.jenkins;

import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import java.io.IOException;
import org.jvnet.hudson.test.TestBuilder;

/** Test-only build step that writes one file into the build's workspace (e.g. the ci.fnl a later step runs). */
public class WriteWorkspaceFile extends TestBuilder {
    private final String path;
    private final String content;

    public WriteWorkspaceFile(String path, String content) {
        this.path = path;
        this.content = content;
    }

    @Override
    public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener)
            throws InterruptedException, IOException {
        build.getWorkspace().child(path).write(content, "UTF-8");
        return true;
    }
}
