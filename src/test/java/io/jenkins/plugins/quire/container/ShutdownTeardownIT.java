package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real dockerd and a second JVM: a run container never closed by its program is removed by the JVM shutdown hook.
 * One exec mode (the default, agent, whose running agent is the harder case) only: no command runs, the container's
 * removal does not depend on how commands reach it; an abort at shutdown with a running {@code sh} is
 * run/ShutdownAbortIT's, in both modes.
 */
class ShutdownTeardownIT {
    private static final String OWNER = DockerTestSupport.owner(ShutdownTeardownIT.class);
    private static DockerEngine engine;
    private static Path workspace;

    @BeforeAll
    static void connect() throws Exception {
        engine = DockerTestSupport.engine();
        workspace = DockerTestSupport.newWorkspace("shutdown");
    }

    @AfterAll
    static void stop() {
        engine.sweepLeftovers(OWNER);   // only matters if a test failed
        DockerTestSupport.assertNoContainersLeft(engine, OWNER);
        engine.close();
        DockerTestSupport.deleteTree(workspace);
    }

    private static String runChild(String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ExitWithoutClosingMain.class.getName(), OWNER, workspace.toString(), mode)
                .redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        String id = null;
        while ((line = r.readLine()) != null) {
            if (line.startsWith("started ")) {
                id = line.substring(8).trim();
                break;
            }
        }
        assertTrue(id != null, "the child JVM started a container");
        if (mode.equals("wait") || mode.equals("kill")) {
            assertEquals(List.of(id), engine.containersOf(OWNER), "alive while the child runs");
            if (mode.equals("kill")) {
                p.destroyForcibly();    // SIGKILL: no shutdown hook runs
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM ended");
                return id;
            }
            p.destroy();    // SIGTERM: shutdown hooks run
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM ended");
        assertEquals(List.of(), engine.containersOf(OWNER), "container " + id + " removed by the shutdown hook");
        return id;
    }

    @Test
    void systemExitWithoutCloseRemovesTheContainer() throws Exception {
        runChild("exit");
    }

    @Test
    void sigtermWithoutCloseRemovesTheContainer() throws Exception {
        runChild("wait");
    }

    /**
     * No shutdown hook runs after a SIGKILL; the exec agent is the container's command and its stdin is the killed
     * JVM's connection, so the container ends by itself (and the next sweep removes it).
     */
    @Test
    void sigkillOfTheEngineEndsTheContainerByItself() throws Exception {
        String id = runChild("kill");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String running = "true";
        while (System.nanoTime() < deadline) {
            running = DockerTestSupport.runOk("docker", "inspect", "-f", "{{.State.Running}}", id).trim();
            if (running.equals("false")) break;
            Thread.sleep(100);
        }
        assertEquals("false", running, "container " + id + " still runs after its engine was killed");
        assertEquals(1, engine.sweepLeftovers(OWNER), "the sweep removes the ended container");
    }
}
