package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Real dockerd: an image whose {@code /etc/passwd} and {@code /etc/group} are symbolic links (one relative, one
 * absolute, as images that keep their accounts elsewhere have). {@code docker exec} follows them when it resolves a
 * user; the agent reads the files through Docker's archive API, which hands a link over as a link, so it must follow
 * it too (the agent reads the files itself with the shell's builtins, the caches' HOME comes from the archive API:
 * both follow the links): the same uid, groups and HOME in both modes, and the agent mode really running; and a
 * {@code ~/} cache lands in that HOME. The passwd's last line has no newline and odd characters in its comment.
 */
class ExecPasswdLinkIT {
    private static String TAG;
    private static DockerFixture docker;

    @BeforeAll
    static void image() throws Exception {
        docker = DockerFixture.open(ExecPasswdLinkIT.class, "passwd-link");
        TAG = docker.buildImage("quire-test-passwd-link", "FROM " + DockerTestSupport.BUSYBOX + "\n"
                + "RUN mkdir -p /etc/accounts /home/builder"
                + " && cat /etc/passwd > /etc/accounts/passwd"
                // the last line without its newline, a backslash and leading spaces in its comment field
                + " && printf '%s' 'builder:x:1234:1234:  Build\\\\er, room 1:/home/builder:/bin/sh' >> /etc/accounts/passwd"
                + " && cat /etc/group > /etc/accounts/group && echo 'builders:x:1234:' >> /etc/accounts/group"
                + " && echo 'tools:x:2345:builder' >> /etc/accounts/group"
                + " && rm /etc/passwd /etc/group && ln -s accounts/passwd /etc/passwd && ln -s /etc/accounts/group /etc/group\n");
    }

    @AfterAll
    static void stop() {
        if (docker != null) docker.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void aUserOfALinkedPasswdResolvesAsDockerExecDoes(ExecMode mode) {
        try (RunContainer c = DockerTestSupport.startIn(docker.engine(), RunSpec.of(TAG, docker.workspace(),
                "link-1", docker.owner()).withNetworkMode("none").withUser("builder"), mode)) {
            RecordingListener l = new RecordingListener();
            ExecResult r = c.exec(ExecRequest.shell("id -u; id -G; echo $HOME"), l);
            assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), r + " " + l.stderr());
            assertEquals("1234\n1234 2345\n/home/builder\n", l.stdout());
        }
    }

    /** The caches' {@code ~/} is the same HOME: read from the created container's linked passwd before any volume. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void aHomeCacheLandsInTheLinkedPasswdsHome(ExecMode mode) {
        String cacheOwner = "quire-test-passwd-link-" + java.util.UUID.randomUUID();
        try (RunContainer c = DockerTestSupport.startIn(docker.engine(), RunSpec.of(TAG, docker.workspace(),
                "link-cache", docker.owner()).withNetworkMode("none").withUser("builder")
                .withCaches(cacheOwner, List.of("~/.cache/tool")), mode)) {
            RecordingListener l = new RecordingListener();
            ExecResult r = c.exec(ExecRequest.shell("touch ~/.cache/tool/x && grep -c ' /home/builder/.cache/tool ' /proc/mounts"), l);
            assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), r + " " + l.stderr());
            assertEquals("1\n", l.stdout());
        } finally {
            for (CacheVolume v : docker.engine().cacheVolumes(cacheOwner)) docker.engine().removeCacheVolume(v.volume());
        }
    }
}
