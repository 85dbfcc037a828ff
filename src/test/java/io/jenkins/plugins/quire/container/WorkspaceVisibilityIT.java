package io.jenkins.plugins.quire.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real dockerd: the container start checks that /work is the workspace. An engine running elsewhere mounts another
 * directory under the workspace's path; here the spec's test hook has the engine mount a directory the test controls
 * (empty, or holding other files) while the marker goes into the workspace, and the start must fail with the clear
 * message. The marker never stays in the workspace, whatever the outcome.
 */
class WorkspaceVisibilityIT {
    private static DockerFixture docker;
    private static Path elsewhere;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerFixture.open(WorkspaceVisibilityIT.class, "visibility");
        elsewhere = DockerTestSupport.newWorkspace("visibility-elsewhere");
    }

    @AfterAll
    static void stop() {
        try {
            if (docker != null) docker.close();
        } finally {
            DockerTestSupport.deleteTree(elsewhere);
        }
    }

    private static RunSpec spec(String runId) {
        return RunSpec.of(DockerTestSupport.BUSYBOX, docker.workspace(), runId, docker.owner()).withNetworkMode("none");
    }

    private static List<String> markersIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(WorkspaceMarker.PREFIX))
                    .collect(Collectors.toList());
        }
    }

    private static String stdout(RunContainer c, ExecRequest r) {
        RecordingListener l = new RecordingListener();
        ExecResult res = c.exec(r, l);
        assertEquals(ExecOutcome.SUCCEEDED, res.outcome(), res + " stderr: " + l.stderr());
        return l.stdout();
    }

    @Test
    void aContainerThatSeesTheWorkspaceStartsAndTheMarkerIsGone() throws Exception {
        Files.writeString(docker.workspace().resolve("seen.txt"), "from the host");
        try (RunContainer c = docker.engine().startRun(spec("visible-1").withJobScratch(List.of("a")))) {
            assertEquals(List.of(), markersIn(docker.workspace()), "the marker is removed once the check is over");
            assertEquals("seen.txt\n", stdout(c, ExecRequest.argv("ls", "-A", "/work")),
                    "the jobs find the workspace in /work, without the marker");
        } finally {
            Files.delete(docker.workspace().resolve("seen.txt"));
        }
    }

    @Test
    void theCheckRunsWithoutScratchDirectoriesToo() throws Exception {
        WorkspaceNotVisibleException e = assertThrows(WorkspaceNotVisibleException.class,
                () -> docker.engine().startRun(spec("elsewhere-0").withBindSource(elsewhere)).close());
        assertTrue(e.getMessage().contains("/work is empty"), e.getMessage());
        assertEquals(List.of(), markersIn(docker.workspace()));
        DockerTestSupport.assertNoContainersLeft(docker.engine(), docker.owner());
    }

    @Test
    void anEngineThatMountsAnEmptyDirectoryFailsTheStartWithTheClearMessage() throws Exception {
        WorkspaceNotVisibleException e = assertThrows(WorkspaceNotVisibleException.class,
                () -> docker.engine().startRun(spec("elsewhere-1").withBindSource(elsewhere)
                        .withJobScratch(List.of("a"))).close());
        assertEquals("the Docker engine at " + EngineConfig.DEFAULT_HOST + " does not see the workspace "
                + docker.workspace() + ": a file written there was not found in /work inside the container (/work is"
                + " empty). The engine bind-mounts paths of the machine it runs on: run the build on a node whose Docker"
                + " engine runs on that node (its local socket, or DOCKER_HOST naming an engine there), or, when the"
                + " node itself runs in a container and talks to its host's engine, mount the workspace into that"
                + " container at the same path as on the host.", e.getMessage());
        assertEquals(List.of(), markersIn(docker.workspace()), "the marker is removed when the check fails");
        assertEquals(List.of(), markersIn(elsewhere));
        DockerTestSupport.assertNoContainersLeft(docker.engine(), docker.owner());
    }

    @Test
    void anEngineThatMountsAnotherTreeFailsTheStartSayingSo() throws Exception {
        Path other = elsewhere.resolve("other-tree");
        Files.createDirectories(other);
        Files.writeString(other.resolve("Makefile"), "all:\n");
        try {
            WorkspaceNotVisibleException e = assertThrows(WorkspaceNotVisibleException.class,
                    () -> docker.engine().startRun(spec("elsewhere-2").withBindSource(other)
                            .withExecMode(ExecMode.DOCKER).withJobScratch(List.of("a", "b"))).close());
            assertTrue(e.getMessage().contains("does not see the workspace " + docker.workspace()
                    + ": a file written there was not found in /work inside the container (/work holds other files)"),
                    e.getMessage());
            assertEquals(List.of(), markersIn(docker.workspace()));
            DockerTestSupport.assertNoContainersLeft(docker.engine(), docker.owner());
        } finally {
            DockerTestSupport.deleteTree(other);
        }
    }
}
