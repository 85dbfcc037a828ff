package io.jenkins.plugins.quire.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real dockerd: the leftover sweep at the start of one run must not remove the container of another run of the same
 * JVM that the engine has created but the run has not registered yet (concurrent builds in one Jenkins killed each
 * other's containers this way). The engine's answer to the create call is held back by a relay, so the window
 * between create and registration is as wide as the test needs. One exec mode (the default, agent) only: the sweep
 * and the registration happen before any exec, and the {@code echo} only shows that the container survived.
 */
class SweepRaceIT {
    @Test
    void aSweepLeavesAloneTheContainerOfALiveRunBetweenCreateAndRegistration() throws Exception {
        try (DockerFixture fx = DockerFixture.open(SweepRaceIT.class, "sweep-race");
             UnixSocketProxy proxy = new UnixSocketProxy(fx.workspace().getParent().resolve(
                     "quire-proxy-sweep-" + ProcessHandle.current().pid() + ".sock"), Path.of("/var/run/docker.sock"));
             DockerEngine relayed = DockerEngine.connect(EngineConfig.defaults().withHost(proxy.dockerHost()))) {
            UnixSocketProxy.Hold hold = proxy.holdAnswerTo("/containers/create");
            CompletableFuture<RunContainer> starting = CompletableFuture.supplyAsync(() -> relayed.startRun(
                    RunSpec.of(DockerTestSupport.BUSYBOX, fx.workspace(), "sweep-race-live", fx.owner())
                            .withNetworkMode("none")));
            RunContainer started = null;
            try {
                assertTrue(hold.awaitRequest(60), "the run asked the engine to create its container");
                List<String> created = awaitContainers(fx);
                assertEquals(1, created.size(), "the engine created the live run's container: " + created);

                int removed = fx.engine().sweepLeftovers(fx.owner());   // what a second run starting now does

                assertEquals(0, removed, "the sweep removed the container of a live run");
                assertEquals(created, fx.engine().containersOf(fx.owner()));
                hold.release();
                started = starting.get(60, TimeUnit.SECONDS);
                RecordingListener out = new RecordingListener();
                ExecResult r = started.exec(ExecRequest.shell("echo alive"), out);
                assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), r.toString());
                assertEquals("alive\n", out.out.toString(StandardCharsets.UTF_8));
            } finally {
                hold.release();
                if (started == null) started = starting.handle((c, e) -> c).get(60, TimeUnit.SECONDS);
                if (started != null) started.close();
                fx.engine().sweepLeftovers(fx.owner());   // only matters when the assertions above failed
            }
        }
    }

    @Test
    void aSweepStillRemovesTheContainerOfARunThatEnded() throws Exception {
        try (DockerFixture fx = DockerFixture.open(SweepRaceIT.class, "sweep-ended")) {
            RunContainer c = fx.engine().startRun(RunSpec.of(DockerTestSupport.BUSYBOX, fx.workspace(),
                    "sweep-race-ended", fx.owner()).withNetworkMode("none"));
            assertEquals(0, fx.engine().sweepLeftovers(fx.owner()), "an open container is not a leftover");
            String id = c.id();
            // a run whose own removal did not happen: closed, but the container is still there
            fx.engine().containersOf(fx.owner()).forEach(x -> assertEquals(id, x));
            OpenContainers.remove(c);
            assertEquals(1, fx.engine().sweepLeftovers(fx.owner()), "the container of an ended run is swept");
            assertFalse(fx.engine().containersOf(fx.owner()).contains(id));
            c.close();
        }
    }

    private static List<String> awaitContainers(DockerFixture fx) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> ids = fx.engine().containersOf(fx.owner());
        while (ids.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            ids = fx.engine().containersOf(fx.owner());
        }
        return ids;
    }
}
