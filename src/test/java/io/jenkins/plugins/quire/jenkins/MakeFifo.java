package io.jenkins.plugins.quire.jenkins;

import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.jvnet.hudson.test.TestBuilder;

/** Test-only build step that makes a FIFO at a path of the build's workspace (with mkfifo, as a user's job could). */
public class MakeFifo extends TestBuilder {
    private final String path;

    public MakeFifo(String path) {
        this.path = path;
    }

    @Override
    public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener)
            throws InterruptedException, IOException {
        File f = new File(build.getWorkspace().getRemote(), path);
        f.getParentFile().mkdirs();
        Process p = new ProcessBuilder("mkfifo", f.getPath()).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("mkfifo " + f + " failed");
        return true;
    }
}
