package io.jenkins.plugins.quire.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real dockerd: several nodes and controllers share one engine. A sweep removes its own controller's leftovers of dead
 * processes, and leaves alone what it cannot judge: any container of another controller (running or stopped), and a
 * running container made on another host or in another pid namespace (its process may be alive there). Such a
 * container of its own controller is removed once it has stopped for the grace period. The containers are made with
 * the labels a run on another node would give them.
 */
class SweepIsolationIT {
    private static final String CONTROLLER = "http://ci.example/";
    private static final String DEAD_PID = "999999999";

    private static DockerFixture docker;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerFixture.open(SweepIsolationIT.class, "sweep-isolation");
    }

    @AfterAll
    static void stop() {
        if (docker != null) docker.close();
    }

    @AfterEach
    void removeWhatTheSweepLeft() {
        for (String id : docker.engine().containersOf(docker.owner())) DockerTestSupport.run(new ArrayList<>(), 60, "docker", "rm", "-f", id);
    }

    /** Labels of a run by a process {@code pid} on {@code host} in pid namespace {@code space} of {@code controller}. */
    private static Map<String, String> labels(String controller, String host, String space, String pid) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put(DockerEngine.LABEL_OWNER, docker.owner());
        l.put(DockerEngine.LABEL_RUN, "other-node-run");
        if (controller != null) l.put(DockerEngine.LABEL_CONTROLLER, controller);
        if (host != null) l.put(DockerEngine.LABEL_HOST, host);
        if (space != null) l.put(DockerEngine.LABEL_PID_SPACE, space);
        if (pid != null) l.put(DockerEngine.LABEL_PID, pid);
        return l;
    }

    /** A container with these labels, running (a long sleep) or exited (ran {@code true}). */
    private static String container(boolean running, Map<String, String> labels) {
        List<String> cmd = new ArrayList<>(List.of("docker", "run", "--network", "none"));
        if (running) cmd.add("-d");
        for (Map.Entry<String, String> e : labels.entrySet()) {
            cmd.add("--label");
            cmd.add(e.getKey() + "=" + e.getValue());
        }
        if (running) {
            cmd.addAll(List.of(DockerTestSupport.BUSYBOX, "sleep", "1000"));
            return DockerTestSupport.runOk(cmd.toArray(new String[0]));
        }
        Path cidFile = docker.workspace().resolve("cid-" + System.nanoTime());
        cmd.addAll(List.of("--cidfile", cidFile.toString(), DockerTestSupport.BUSYBOX, "true"));
        DockerTestSupport.runOk(cmd.toArray(new String[0]));
        try {
            return Files.readString(cidFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean exists(String id) {
        return docker.engine().containersOf(docker.owner()).contains(id);
    }

    private static String here() {
        return DockerEngine.hostName();
    }

    @Test
    void anotherControllersContainersAreLeftAloneRunningOrStopped() {
        String running = container(true, labels("http://other.example/", here(), DockerEngine.pidSpace(), DEAD_PID));
        String stopped = container(false, labels("http://other.example/", here(), DockerEngine.pidSpace(), DEAD_PID));
        assertEquals(0, docker.engine().sweepLeftovers(docker.owner(), CONTROLLER, Duration.ZERO));
        assertTrue(exists(running), "the running container of another controller was swept");
        assertTrue(exists(stopped), "the stopped container of another controller was swept: it is that controller's to judge");
    }

    @Test
    void aRunningContainerMadeOnAnotherHostIsLeftAlone() {
        String id = container(true, labels(CONTROLLER, "agent-7." + here(), DockerEngine.pidSpace(), DEAD_PID));
        assertEquals(0, docker.engine().sweepLeftovers(docker.owner(), CONTROLLER, Duration.ZERO));
        assertTrue(exists(id), "a running container of another host was swept: its process may be alive there");
    }

    @Test
    void aRunningContainerMadeInAnotherPidNamespaceOfThisHostIsLeftAlone() {
        // two nodes that are containers with the host's network share its host name, not its pids
        String id = container(true, labels(CONTROLLER, here(), "another-boot/pid:[4026530000]", DEAD_PID));
        assertEquals(0, docker.engine().sweepLeftovers(docker.owner(), CONTROLLER, Duration.ZERO));
        assertTrue(exists(id), "a pid of another pid namespace was judged by this one's processes");
    }

    @Test
    void aStoppedContainerOfThisControllerFromAnotherHostIsRemovedAfterTheGrace() {
        String id = container(false, labels(CONTROLLER, "agent-7." + here(), DockerEngine.pidSpace(), DEAD_PID));
        assertEquals(0, docker.engine().sweepLeftovers(docker.owner(), CONTROLLER),
                "a container that stopped a moment ago is left to its own run for the grace period");
        assertTrue(exists(id));
        assertEquals(1, docker.engine().sweepLeftovers(docker.owner(), CONTROLLER, Duration.ZERO));
        assertFalse(exists(id));
    }

    @Test
    void ownLeftoversOfDeadProcessesAreStillRemoved() {
        String running = container(true, labels(CONTROLLER, here(), DockerEngine.pidSpace(), DEAD_PID));
        String unlabelled = container(true, labels(null, here(), null, DEAD_PID));   // made before the new labels
        String live = container(true, labels(CONTROLLER, here(), DockerEngine.pidSpace(),
                String.valueOf(ProcessHandle.current().parent().orElseThrow().pid())));
        assertEquals(2, docker.engine().sweepLeftovers(docker.owner(), CONTROLLER));
        assertFalse(exists(running));
        assertFalse(exists(unlabelled));
        assertTrue(exists(live), "the container of a live process of this host was swept");
    }

    @Test
    void aRunsContainerCarriesTheControllerAndProcessSpaceLabels() {
        try (RunContainer c = docker.engine().startRun(RunSpec.of(DockerTestSupport.BUSYBOX, docker.workspace(),
                "labels-1", docker.owner()).withController(CONTROLLER).withNetworkMode("none").withExecMode(ExecMode.DOCKER))) {
            String labels = DockerTestSupport.runOk("docker", "inspect", "-f",
                    "{{index .Config.Labels \"" + DockerEngine.LABEL_CONTROLLER + "\"}} {{index .Config.Labels \""
                            + DockerEngine.LABEL_PID_SPACE + "\"}}", c.id());
            assertEquals(CONTROLLER + " " + DockerEngine.pidSpace(), labels);
        }
    }
}
