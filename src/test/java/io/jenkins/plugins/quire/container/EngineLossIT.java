package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real dockerd reached through a relay socket that the test cuts: losing the engine mid-run is reported as the
 * container's death ("Docker engine is no longer reachable"), never as a hang or a command exit code. Both exec
 * modes: through the agent, the cut also ends the agent's stream, which must not be taken for the agent's death.
 */
class EngineLossIT {
    private static final String OWNER = DockerTestSupport.owner(EngineLossIT.class);
    private static DockerEngine engine;
    private static Path workspace;

    @BeforeAll
    static void connect() throws Exception {
        engine = DockerTestSupport.engine();
        workspace = DockerTestSupport.newWorkspace("engine-loss");
    }

    @AfterAll
    static void stop() {
        // the relayed client could not remove its containers once cut: the sweep is how a later start cleans up
        engine.sweepLeftovers(OWNER);
        DockerTestSupport.assertNoContainersLeft(engine, OWNER);
        engine.close();
        DockerTestSupport.deleteTree(workspace);
    }

    private static UnixSocketProxy proxy(String name) throws Exception {
        return new UnixSocketProxy(workspace.getParent().resolve("quire-proxy-" + name + "-" + ProcessHandle.current().pid() + ".sock"),
                Path.of("/var/run/docker.sock"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void engineLostMidExecIsContainerDeath(ExecMode mode) throws Exception {
        UnixSocketProxy p = proxy("exec-" + mode.label());
        try (DockerEngine relayed = DockerEngine.connect(EngineConfig.defaults().withHost(p.dockerHost()).withCallTimeout(Duration.ofSeconds(5)));
             RunContainer c = DockerTestSupport.startIn(relayed, RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "loss-1",
                     OWNER), mode)) {
            CountDownLatch running = new CountDownLatch(1);
            ExecListener l = new ExecListener() {
                @Override public void onStdout(byte[] d, int off, int len) { running.countDown(); }

                @Override public void onStderr(byte[] d, int off, int len) { }
            };
            Thread cutter = new Thread(() -> {
                try {
                    if (running.await(10, TimeUnit.SECONDS)) p.close();
                } catch (InterruptedException ignored) {
                    // test ends anyway
                }
            });
            cutter.start();
            long t0 = System.nanoTime();
            ExecResult r = c.exec(ExecRequest.shell("echo up; sleep 60"), l);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            cutter.join();
            assertEquals(ExecOutcome.CONTAINER_DIED, r.outcome(), r.toString());
            assertTrue(r.deathReason().orElse("").startsWith("Docker engine is no longer reachable"), r.toString());
            assertTrue(ms < 15_000, "took " + ms + " ms");
        } finally {
            p.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void engineLostWhileIdleIsNoticedThroughTheEventsStream(ExecMode mode) throws Exception {
        UnixSocketProxy p = proxy("idle-" + mode.label());
        try (DockerEngine relayed = DockerEngine.connect(EngineConfig.defaults().withHost(p.dockerHost()).withCallTimeout(Duration.ofSeconds(5)));
             RunContainer c = DockerTestSupport.startIn(relayed, RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "loss-2",
                     OWNER), mode)) {
            CompletableFuture<String> heard = new CompletableFuture<>();
            c.onDeath(heard::complete);
            assertEquals(ExecOutcome.SUCCEEDED, c.exec(ExecRequest.argv("true"), ExecListener.DISCARD).outcome());
            p.close();
            String reason = heard.get(15, TimeUnit.SECONDS);
            assertTrue(reason.startsWith("Docker engine is no longer reachable"), reason);
            assertEquals(reason, c.deathReason().orElse(null));
        } finally {
            p.close();
        }
    }
}
