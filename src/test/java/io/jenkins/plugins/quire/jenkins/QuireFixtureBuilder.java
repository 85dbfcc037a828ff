package io.jenkins.plugins.quire.jenkins;

import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jvnet.hudson.test.TestBuilder;

/**
 * Test-only build step standing in for the Quire CI build step without Docker: attaches the page at the start
 * (as the real step does) and writes one of the {@link QuireRunFixtures} logs into the build's
 * {@code <artifacts>/quire}. For {@link Fixture#RUNNING} it then waits until the test has looked at the page,
 * finishes the logs and waits once more, so the test sees both states while the build runs.
 */
public class QuireFixtureBuilder extends TestBuilder {
    /** Which logs to write. */
    public enum Fixture { FINISHED, RUNNING, CONTAINER_DIED, PAYLOAD_ID, LARGE_OUTPUT, NONE }

    private final Fixture fixture;
    /** Latches of the RUNNING fixture (static: builders are saved with the project, latches are not). */
    static volatile CountDownLatch started, proceed, finished, release;

    public QuireFixtureBuilder(Fixture fixture) {
        this.fixture = fixture;
    }

    static void resetLatches() {
        started = new CountDownLatch(1);
        proceed = new CountDownLatch(1);
        finished = new CountDownLatch(1);
        release = new CountDownLatch(1);
    }

    @Override
    public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener)
            throws InterruptedException, IOException {
        QuireRunAction.attachTo(build);
        Path logs = new File(build.getArtifactsDir(), QuireRunAction.LOGS_FOLDER).toPath();
        switch (fixture) {
            case FINISHED:
                QuireRunFixtures.writeFinishedRun(logs);
                break;
            case PAYLOAD_ID:
                QuireRunFixtures.writePayloadIdRun(logs);
                break;
            case CONTAINER_DIED:
                QuireRunFixtures.writeContainerDiedRun(logs);
                break;
            case LARGE_OUTPUT:
                QuireRunFixtures.writeLargeOutputRun(logs, 2, 10);
                break;
            case RUNNING:
                QuireRunFixtures.writeRunningRun(logs);
                started.countDown();
                if (!proceed.await(60, TimeUnit.SECONDS)) throw new IOException("test did not proceed");
                QuireRunFixtures.finishRunningRun(logs);
                finished.countDown();
                if (!release.await(60, TimeUnit.SECONDS)) throw new IOException("test did not release the build");
                break;
            default:
                break;
        }
        return true;
    }
}
