package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real dockerd: the run container's shape, exec user, teardown, leftover sweep, and engine/image failures. Who a
 * command runs as is exec semantics: those tests run in both exec modes (the agent switches user itself, from the
 * image's passwd); the rest is about the container (its {@code exec} calls only read its state) and runs in the
 * default mode.
 */
class RunContainerLifecycleIT {
    private static DockerFixture docker;
    private static String owner;
    private static DockerEngine engine;
    private static Path workspace;

    @BeforeAll
    static void connect() throws Exception {
        docker = DockerFixture.open(RunContainerLifecycleIT.class, "lifecycle");
        owner = docker.owner();
        engine = docker.engine();
        workspace = docker.workspace();
    }

    @AfterAll
    static void stop() {
        if (docker != null) docker.close();
    }

    @Test
    void apiVersionIsNegotiatedWithTheEngine() {
        String engineMax = DockerTestSupport.runOk("docker", "version", "--format", "{{.Server.APIVersion}}");
        String expected = DockerClientFactory.compare(engineMax, DockerClientFactory.LIBRARY_MAX_API) < 0
                ? engineMax : DockerClientFactory.LIBRARY_MAX_API;
        assertEquals(expected, engine.apiVersion());
        assertFalse(engine.engineVersion().isEmpty());
    }

    @Test
    void containerHasInitWorkMountLabelsAndKeepAlive() {
        for (ExecMode mode : ExecMode.values()) {
            try (RunContainer c = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "shape-1", owner)
                    .withExecMode(mode))) {
                String fmt = "{{.HostConfig.Init}}|{{.Config.WorkingDir}}|{{index .Config.Labels \"io.quire.run\"}}|"
                        + "{{index .Config.Labels \"io.quire.owner\"}}|{{.Path}} {{join .Args \" \"}}|"
                        + "{{range .Mounts}}{{.Source}}->{{.Destination}}:{{.RW}}{{end}}|{{.HostConfig.AutoRemove}}|"
                        + "{{.Config.OpenStdin}} {{.Config.StdinOnce}} {{.HostConfig.LogConfig.Type}}";
                String got = DockerTestSupport.runOk("docker", "inspect", "--format", fmt, c.id());
                // the agent is the container's command, on the container's own stdin, with no log of its frames kept
                String command = mode == ExecMode.AGENT ? ExecAgent.PATH + " |" : "sleep 2147483647|";
                String stdin = mode == ExecMode.AGENT ? "true true none" : "false false ";
                // in agent mode the agent's binary comes read-only from its volume (AgentVolume); mounts in any order
                String[] f = got.split("\\|", -1);
                assertEquals("true|/work|shape-1|" + owner + "|" + command, String.join("|", java.util.Arrays.copyOf(f, 5)) + "|",
                        mode + ": " + got);
                assertTrue(f[5].contains(workspace.toAbsolutePath() + "->/work:true"), mode + ": " + got);
                assertEquals(mode == ExecMode.AGENT, f[5].matches(".*/var/lib/docker/volumes/quire-agent-[0-9a-f]{24}/_data->/"
                        + ExecAgent.DIR + ":false.*"), mode + ": " + got);
                assertTrue(("|" + f[6] + "|" + f[7]).startsWith("|false|" + stdin), mode + ": " + got);
                RecordingListener l = new RecordingListener();
                c.exec(ExecRequest.shell("cat /proc/1/cmdline | tr '\\0' ' '"), l);
                assertTrue(l.stdout().startsWith("/sbin/docker-init"), "PID 1 is docker-init: " + l.stdout());
                assertEquals(mode, c.execMode().mode());
            }
        }
    }

    /** The image's entrypoint never runs in a run container: one that exits at once does not end the run. */
    @Test
    void anImageEntrypointIsNotRun() {
        String image = "quire-test:entrypoint-" + Long.toHexString(System.nanoTime());
        DockerTestSupport.runOk("sh", "-c", "printf 'FROM " + DockerTestSupport.BUSYBOX
                + "\\nENTRYPOINT [\"sh\", \"-c\", \"echo entrypoint-ran; exit 7\"]\\n' | docker build -q -t " + image + " -");
        try {
            for (ExecMode mode : ExecMode.values()) {
                try (RunContainer c = engine.startRun(RunSpec.of(image, workspace, "entry-" + mode, owner).withExecMode(mode))) {
                    assertEquals(mode, c.execMode().mode(), c.execMode().toString());
                    RecordingListener l = new RecordingListener();
                    assertEquals(0, c.exec(ExecRequest.shell("echo in-$QUIRE_MODE_CHECK"), l).exitCode());
                    assertEquals("in-\n", l.stdout());
                    assertTrue(c.deathReason().isEmpty(), mode + ": " + c.deathReason());
                }
            }
        } finally {
            DockerTestSupport.runOk("docker", "rmi", "-f", image);
        }
    }

    @Test
    void closeRemovesTheContainerAndIsIdempotent() {
        RunContainer c = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "close-1", owner));
        assertTrue(engine.containersOf(owner).contains(c.id()));
        c.close();
        c.close();
        assertFalse(engine.containersOf(owner).contains(c.id()));
        assertTrue(c.isClosed());
        assertThrows(IllegalStateException.class, () -> c.exec(ExecRequest.argv("true"), ExecListener.DISCARD));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void execRunsAsTheUidAndGidOwningTheWorkspace(ExecMode mode) throws Exception {
        Path ws = DockerTestSupport.newWorkspace("uid");
        try {
            Files.setAttribute(ws, "unix:uid", 1234);
            Files.setAttribute(ws, "unix:gid", 2345);
            try (RunContainer c = DockerTestSupport.startIn(engine, RunSpec.of(DockerTestSupport.DEBIAN, ws, "uid-1", owner),
                    mode)) {
                assertEquals("1234:2345", c.user());
                RecordingListener l = new RecordingListener();
                ExecResult r = c.exec(ExecRequest.shell("id -u; id -g; touch made-here"), l);
                assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), l.stderr());
                assertEquals("1234\n2345\n", l.stdout());
                assertEquals(1234, Files.getAttribute(ws.resolve("made-here"), "unix:uid"));
            }
        } finally {
            DockerTestSupport.deleteTree(ws);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void explicitUserOverridesTheWorkspaceOwner(ExecMode mode) {
        try (RunContainer c = DockerTestSupport.startIn(engine, RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "user-1",
                owner).withUser("4321:4321"), mode)) {
            RecordingListener l = new RecordingListener();
            c.exec(ExecRequest.shell("id -u; id -g"), l);
            assertEquals("4321\n4321\n", l.stdout());
        }
    }

    @Test
    void sweepRemovesLeftoversOfCrashedRunsButNotLiveOnes() {
        String sweepOwner = owner + "-sweep";
        // a container as a crashed run would leave it: our labels, no live process behind it
        DockerTestSupport.runOk("docker", "create", "--label", DockerEngine.LABEL_OWNER + "=" + sweepOwner,
                "--label", DockerEngine.LABEL_RUN + "=crashed-1", DockerTestSupport.BUSYBOX, "sleep", "1000");
        DockerTestSupport.runOk("docker", "run", "-d", "--label", DockerEngine.LABEL_OWNER + "=" + sweepOwner,
                "--label", DockerEngine.LABEL_PID + "=999999999", "--label", DockerEngine.LABEL_HOST + "=" + DockerEngine.hostName(),
                DockerTestSupport.BUSYBOX, "sleep", "1000");
        try (RunContainer live = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "live-1", sweepOwner))) {
            assertEquals(3, engine.containersOf(sweepOwner).size());
            assertEquals(2, engine.sweepLeftovers(sweepOwner));
            assertEquals(List.of(live.id()), engine.containersOf(sweepOwner));
            assertEquals(ExecOutcome.SUCCEEDED, live.exec(ExecRequest.argv("true"), ExecListener.DISCARD).outcome());
        }
        assertEquals(List.of(), engine.containersOf(sweepOwner));
    }

    @Test
    void missingImageWithPullingDisabledGivesTheExactMessage() {
        try (DockerEngine noPull = DockerEngine.connect(EngineConfig.defaults().withPullTimeout(Duration.ZERO))) {
            ImageUnavailableException e = assertThrows(ImageUnavailableException.class,
                    () -> noPull.startRun(RunSpec.of("quire-test:no-such-image", workspace, "img-1", owner)));
            assertEquals("image 'quire-test:no-such-image' is not available locally and could not be pulled: pulling is disabled",
                    e.getMessage());
        }
    }

    @Test
    void missingImageWhosePullFailsGivesTheExactMessageWithTheReason() {
        // a registry on the loopback where nothing listens: the pull fails at once, no outside traffic
        String image = "127.0.0.1:9/quire-test/no-such-image:1";
        EngineConfig cfg = EngineConfig.defaults().withPullTimeout(Duration.ofSeconds(30));
        try (DockerEngine e2 = DockerEngine.connect(cfg)) {
            ImageUnavailableException e = assertThrows(ImageUnavailableException.class,
                    () -> e2.startRun(RunSpec.of(image, workspace, "img-2", owner)));
            String prefix = "image '" + image + "' is not available locally and could not be pulled: ";
            assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
            assertTrue(e.getMessage().length() > prefix.length() + 5, "a reason follows: " + e.getMessage());
            assertEquals(image, e.image());
        }
    }

    @Test
    void unreachableEngineIsEngineUnavailable() {
        String host = "unix:///tmp/quire-no-such-docker.sock";
        EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                () -> DockerEngine.connect(EngineConfig.defaults().withHost(host).withCallTimeout(Duration.ofSeconds(5))));
        assertTrue(e.getMessage().contains(host), e.getMessage());
        assertTrue(e.getMessage().startsWith("Docker engine is not reachable at"), e.getMessage());
    }

    @Test
    void workspaceMustBeAnExistingDirectory() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunSpec.of(DockerTestSupport.BUSYBOX, workspace.resolve("nope"), "x", owner));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
}
