package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Real dockerd: the environment a command starts with, before its own variables, in both exec modes: the image's
 * variables, HOSTNAME as the engine set it for the container, HOME from the image's passwd. The agent builds this
 * itself from the container's settings (ContainerSettings) and must give what {@code docker exec} gives.
 */
class ExecBaseEnvironmentIT {
    private static String TAG;
    private static DockerFixture docker;

    @BeforeAll
    static void image() throws Exception {
        docker = DockerFixture.open(ExecBaseEnvironmentIT.class, "base-env");
        TAG = docker.buildImage("quire-test-base-env", "FROM " + DockerTestSupport.BUSYBOX + "\n"
                + "ENV IMAGE_VAR=\"from the image\" OTHER=two=parts\n");
    }

    @AfterAll
    static void stop() {
        if (docker != null) docker.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void aCommandStartsWithTheImagesVariablesAndTheContainersHostname(ExecMode mode) {
        try (RunContainer c = DockerTestSupport.startIn(docker.engine(), RunSpec.of(TAG, docker.workspace(),
                "base-env-1", docker.owner()).withNetworkMode("none").withUser("0:0"), mode)) {
            String hostname = DockerTestSupport.runOk("docker", "inspect", "-f", "{{.Config.Hostname}}", c.id()).trim();
            RecordingListener l = new RecordingListener();
            ExecResult r = c.exec(ExecRequest.shell("echo \"$HOSTNAME|$IMAGE_VAR|$OTHER|$HOME\""), l);
            assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), r + " " + l.stderr());
            assertEquals(hostname + "|from the image|two=parts|/root\n", l.stdout());
        }
    }
}
