package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Real dockerd: the groups a command runs with, in both exec modes. {@code docker exec} gives a user named without a
 * group its passwd group plus every group of the image's /etc/group that lists it as a member; a user given as
 * {@code uid:gid} gets that one group only. The agent, which switches user itself, must do the same.
 */
class ExecUserGroupsIT {
    private static String TAG;
    private static DockerFixture docker;

    @BeforeAll
    static void image() throws Exception {
        docker = DockerFixture.open(ExecUserGroupsIT.class, "groups");
        TAG = docker.buildImage("quire-test-user-groups", "FROM " + DockerTestSupport.BUSYBOX + "\n"
                + "RUN echo 'u:x:1000:1000::/home/u:/bin/sh' >> /etc/passwd && echo 'ug:x:1000:' >> /etc/group"
                + " && echo 'extra:x:2000:u' >> /etc/group && echo 'more:x:2001:root,u' >> /etc/group\n");
    }

    @AfterAll
    static void stop() {
        if (docker != null) docker.close();
    }

    private static String groupsOf(String user, ExecMode mode) {
        try (RunContainer c = DockerTestSupport.startIn(docker.engine(), RunSpec.of(TAG, docker.workspace(),
                "groups-1", docker.owner()).withNetworkMode("none").withUser(user), mode)) {
            RecordingListener l = new RecordingListener();
            ExecResult r = c.exec(ExecRequest.shell("id -u; id -G"), l);
            assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), r + " " + l.stderr());
            return l.stdout();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void aUserWithoutGroupGetsItsPasswdGroupAndItsMemberships(ExecMode mode) {
        assertEquals("1000\n1000 2000 2001\n", groupsOf("1000", mode));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void aUserWithItsGroupGetsThatGroupOnly(ExecMode mode) {
        assertEquals("1000\n1000\n", groupsOf("1000:1000", mode));
    }
}
