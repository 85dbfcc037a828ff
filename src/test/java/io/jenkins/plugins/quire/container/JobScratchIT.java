package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real dockerd: at container start every job gets its own empty scratch directory /tmp/quire/&lt;id&gt;, owned by the
 * exec user with mode 0700, under a root-owned /tmp/quire; a job's sh with TMPDIR there can make temporary files.
 * The tests that run commands as that user run in both exec modes: the agent works out the uid:gid itself.
 */
class JobScratchIT {
    private static DockerFixture docker;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerFixture.open(JobScratchIT.class, "scratch");
    }

    @AfterAll
    static void stop() {
        if (docker != null) docker.close();
    }

    private static RunSpec spec(String runId) {
        return RunSpec.of(DockerTestSupport.BUSYBOX, docker.workspace(), runId, docker.owner()).withNetworkMode("none");
    }

    private static String run(RunContainer c, ExecRequest r) {
        RecordingListener l = new RecordingListener();
        ExecResult res = c.exec(r, l);
        assertEquals(ExecOutcome.SUCCEEDED, res.outcome(), res + " stderr: " + l.stderr());
        return l.stdout();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void eachJobHasAnEmptyDirectoryOfItsOwnOwnedByTheExecUser(ExecMode mode) {
        try (RunContainer c = DockerTestSupport.startIn(docker.engine(), spec("scratch-1").withUser("1000:1000")
                .withJobScratch(List.of("a", "b", "build.x-1")), mode)) {
            assertEquals("755 0:0 /tmp/quire\n700 1000:1000 /tmp/quire/a\n700 1000:1000 /tmp/quire/b\n"
                            + "700 1000:1000 /tmp/quire/build.x-1\n",
                    run(c, ExecRequest.argv("stat", "-c", "%a %u:%g %n", "/tmp/quire", "/tmp/quire/a", "/tmp/quire/b",
                            "/tmp/quire/build.x-1")));
            assertEquals("a\nb\nbuild.x-1\n", run(c, ExecRequest.argv("ls", "-A", "/tmp/quire")));

            String made = run(c, ExecRequest.shell("f=$(mktemp) && echo scratch > \"$f\" && echo \"$f\" && cat \"$f\"")
                    .withEnv(Map.of("TMPDIR", JobScratch.dirOf("a"), "QUIRE_JOB", "a")));
            String[] lines = made.split("\n");
            assertTrue(lines[0].startsWith("/tmp/quire/a/"), made);
            assertEquals("scratch", lines[1]);
            assertEquals("", run(c, ExecRequest.argv("ls", "-A", "/tmp/quire/b")), "job b's directory stays empty");

            RecordingListener l = new RecordingListener();
            ExecResult sibling = c.exec(ExecRequest.argv("mkdir", "/tmp/quire/c"), l);
            assertNotEquals(0, sibling.exitCode(), "the exec user cannot add directories next to the jobs': " + sibling);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void aUserWithoutGroupGetsItsPasswdGroupOrGroupZero(ExecMode mode) {
        try (RunContainer c = DockerTestSupport.startIn(docker.engine(), spec("scratch-2").withUser("4242")
                .withJobScratch(List.of("j")), mode)) {
            String ids = run(c, ExecRequest.shell("echo $(id -u):$(id -g)"));
            assertEquals(ids.trim() + "\n", run(c, ExecRequest.argv("stat", "-c", "%u:%g", "/tmp/quire/j")),
                    "owned by exactly the uid:gid the execs run as");
        }
    }

    @Test
    void anImageWhoseTmpQuireIsALinkIsRefusedWithAClearError() {
        String tag = "quire-test-scratch-link:" + ProcessHandle.current().pid();
        List<String> out = new ArrayList<>();
        java.nio.file.Path ctx = docker.workspace().resolve("link-image");
        try {
            java.nio.file.Files.createDirectories(ctx);
            java.nio.file.Files.writeString(ctx.resolve("Dockerfile"),
                    "FROM " + DockerTestSupport.BUSYBOX + "\nRUN ln -s /work /tmp/quire\n");
            assertEquals(0, DockerTestSupport.run(out, 120, "docker", "build", "-q", "--network", "none", "-t", tag,
                    ctx.toString()), String.join("\n", out));
            RunSpec s = RunSpec.of(tag, docker.workspace(), "scratch-3", docker.owner()).withNetworkMode("none")
                    .withJobScratch(List.of("a"));
            ContainerException e = assertThrows(ContainerException.class, () -> docker.engine().startRun(s));
            assertEquals("could not make the jobs' scratch directories under /tmp/quire in the container: "
                    + "/tmp/quire is a symbolic link in the image", e.getMessage());
            assertEquals(List.of(), docker.engine().containersOf(docker.owner()), "the refused container is removed");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            DockerTestSupport.run(new ArrayList<>(), 60, "docker", "rmi", "-f", tag);
        }
    }
}
