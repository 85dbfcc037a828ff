package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real dockerd and the real exec agent (built from agent/quire-exec-agent.c, packaged as a resource): what only the
 * agent mode has (its start, 16 requests at once, a 100 MB burst, its death mid-run, a malformed frame).
 */
class ExecAgentIT {
    private static final String OWNER = DockerTestSupport.owner(ExecAgentIT.class);
    private static DockerEngine engine;
    private static Path workspace;

    @BeforeAll
    static void connect() throws Exception {
        engine = DockerTestSupport.engine();
        workspace = DockerTestSupport.newWorkspace("agent");
    }

    @AfterAll
    static void close() {
        if (engine == null) return;
        try {
            DockerTestSupport.assertNoContainersLeft(engine, OWNER);
        } finally {
            engine.close();
            DockerTestSupport.deleteTree(workspace);
        }
    }

    private static RunContainer start(String run, String image) {
        return engine.startRun(RunSpec.of(image, workspace, run, OWNER).withNetworkMode("none"));
    }

    @Test
    void agentStartsAndRunsCommandsWithTheEnvironmentAndUserOfAPlainExec() {
        for (String image : List.of(DockerTestSupport.BUSYBOX, DockerTestSupport.DEBIAN)) {
            try (RunContainer c = start("agent-env-" + image.replace(':', '-'), image)) {
                assertEquals(new ExecModeReport(ExecMode.AGENT, null), c.execMode());
                assertNotNull(c.agent().hello());
                String probe = "id -u; id -g; id -G; pwd; umask; cat /proc/self/limits;"
                        + " grep -E '^(Cap|NoNewPrivs|Seccomp)' /proc/self/status; ls -l /proc/self/fd/0 | sed 's/.*-> //';"
                        + " env | grep -v " + RunContainer.TOKEN_VARIABLE + " | sort";
                RecordingListener viaAgent = new RecordingListener();
                ExecResult r = c.exec(ExecRequest.shell(probe + "; echo oops >&2; exit 4"), viaAgent);
                assertEquals(4, r.exitCode());
                assertEquals("oops\n", viaAgent.stderr());
                // the same probe as a plain docker exec, the mode the agent must not differ from
                String plain = DockerTestSupport.runOk("docker", "exec", "-u", c.user(), "-w", "/work", c.id(), "sh", "-c", probe);
                assertEquals(plain, viaAgent.stdout().trim(), image);
            }
        }
    }

    @Test
    void sixteenConcurrentRequestsEachGetTheirOwnOutput() throws Exception {
        try (RunContainer c = start("agent-16", DockerTestSupport.BUSYBOX)) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<String>> outs = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    int n = i;
                    outs.add(pool.submit(() -> {
                        RecordingListener l = new RecordingListener();
                        ExecResult r = c.exec(ExecRequest.shell("for k in 1 2 3 4 5; do echo m" + n + "-$k; sleep 0.05; done; exit " + n), l);
                        assertEquals(n, r.exitCode());
                        return l.stdout();
                    }));
                }
                for (int i = 0; i < 16; i++) {
                    StringBuilder want = new StringBuilder();
                    for (int k = 1; k <= 5; k++) want.append("m").append(i).append('-').append(k).append('\n');
                    assertEquals(want.toString(), outs.get(i).get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(ExecMode.AGENT, c.execMode().mode());
        }
    }

    @Test
    void hundredMegabyteBurstArrivesWhole() {
        try (RunContainer c = start("agent-burst", DockerTestSupport.BUSYBOX)) {
            AtomicLong bytes = new AtomicLong();
            AtomicLong nonZero = new AtomicLong();
            ExecResult r = c.exec(ExecRequest.shell("dd if=/dev/zero bs=1048576 count=100 2>/dev/null; echo end >&2"),
                    new ExecListener() {
                        @Override public void onStdout(byte[] d, int off, int len) {
                            bytes.addAndGet(len);
                            for (int i = off; i < off + len; i++) if (d[i] != 0) nonZero.incrementAndGet();
                        }

                        @Override public void onStderr(byte[] d, int off, int len) { }
                    });
            assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), r.toString());
            assertEquals(100L << 20, bytes.get());
            assertEquals(100L << 20, r.stdoutBytes());
            assertEquals(0, nonZero.get());
            assertEquals(4, r.stderrBytes());
        }
    }

    /** The agent is the container's command: its death is the container's death, reported as such, once. */
    @Test
    void agentKilledMidRunIsTheContainersDeath() throws Exception {
        try (RunContainer c = start("agent-killed", DockerTestSupport.BUSYBOX)) {
            long agentPid = c.agent().hello().pid();
            List<ExecModeReport> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
            c.onExecModeChange(changes::add);
            List<String> deaths = new java.util.concurrent.CopyOnWriteArrayList<>();
            c.onDeath(deaths::add);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<ExecResult> first = pool.submit(() -> c.exec(ExecRequest.shell("echo started; sleep 60"), new RecordingListener()));
                Future<ExecResult> second = pool.submit(() -> c.exec(ExecRequest.shell("sleep 61"), new RecordingListener()));
                waitFor(c, "sleep 60");
                waitFor(c, "sleep 61");
                DockerTestSupport.runOk("docker", "exec", c.id(), "kill", "-9", String.valueOf(agentPid));
                for (Future<ExecResult> f : List.of(first, second)) {
                    ExecResult r = f.get(30, TimeUnit.SECONDS);
                    assertEquals(ExecOutcome.CONTAINER_DIED, r.outcome(), r.toString());
                    assertEquals("container exited with code 137 (its command, the exec agent, was killed by SIGKILL)", r.reason().orElse(""), r.toString());
                }
            } finally {
                pool.shutdownNow();
            }
            // the death listeners are called once the death is recorded, which may be just after the execs saw it
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (deaths.isEmpty() && System.nanoTime() < until) Thread.sleep(20);
            assertEquals(List.of("container exited with code 137 (its command, the exec agent, was killed by SIGKILL)"), deaths);
            ExecResult later = c.exec(ExecRequest.shell("echo later"), new RecordingListener());
            assertEquals(ExecOutcome.CONTAINER_DIED, later.outcome(), later.toString());
            Thread.sleep(1000);     // the agent's death callback must not report a fallback for a dead container
            assertEquals(List.of(), changes);
            assertEquals(ExecMode.AGENT, c.execMode().mode());
        }
    }

    /**
     * A fake agent (a shell script) says hello, then answers the first request (the start's read of /etc/passwd) with
     * a frame of an unknown type: the run starts again in a plain container, its start's root command a plain exec,
     * and the mode names the protocol error.
     */
    @Test
    void malformedFrameFromTheAgentFallsBackToPlainExecsNamingTheError() throws Exception {
        String fake = "#!/bin/sh\n"
                + "printf 'H\\000\\000\\000\\000\\000\\000\\000\\014\\000\\000\\000\\004fake\\000\\000\\000\\001'\n"
                + "head -c 1 >/dev/null\n"
                + "printf 'Z\\000\\000\\000\\001\\000\\000\\000\\000'\n"
                + "sleep 30\n";
        RunSpec spec = RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "agent-fake", OWNER).withNetworkMode("none")
                .withAgentBinary(fake.getBytes(StandardCharsets.US_ASCII)).withJobScratch(List.of("one"));
        try (RunContainer c = engine.startRun(spec)) {
            String volume = AgentVolume.nameOf(fake.getBytes(StandardCharsets.US_ASCII));
            assertEquals(volume, volumeList(volume), "the fake agent ran from its own volume");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (c.execMode().mode() != ExecMode.DOCKER && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(new ExecModeReport(ExecMode.DOCKER,
                    "the exec agent died: protocol error: unknown frame type 0x5A at byte 21 of the stream"), c.execMode());
            assertNull(c.agent());
            RecordingListener l = new RecordingListener();
            assertEquals(0, c.exec(ExecRequest.shell("echo plain; stat -c %a /tmp/quire/one"), l).exitCode());
            assertEquals("plain\n700\n", l.stdout());
        } finally {
            DockerTestSupport.run(new ArrayList<>(), 60, "docker", "volume", "rm", AgentVolume.nameOf(fake.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    private static String volumeList(String name) {
        return DockerTestSupport.runOk("docker", "volume", "ls", "-q", "--filter", "name=" + name).strip();
    }

    /** `docker volume prune` between two runs removes the agent's volume: the next run fills it again and uses it. */
    @Test
    void anAgentVolumeRemovedBetweenRunsIsFilledAgain() {
        String volume;
        try (RunContainer c = start("agent-vol-1", DockerTestSupport.BUSYBOX)) {
            assertEquals(ExecMode.AGENT, c.execMode().mode(), c.execMode().toString());
            volume = DockerTestSupport.runOk("docker", "inspect", "-f",
                    "{{range .Mounts}}{{if eq .Destination \"/.quire-agent\"}}{{.Name}}{{end}}{{end}}", c.id()).strip();
        }
        assertTrue(volume.startsWith("quire-agent-"), volume);
        DockerTestSupport.runOk("docker", "volume", "rm", volume);
        try (RunContainer c = start("agent-vol-2", DockerTestSupport.BUSYBOX)) {
            assertEquals(new ExecModeReport(ExecMode.AGENT, null), c.execMode());
            RecordingListener l = new RecordingListener();
            assertEquals(0, c.exec(ExecRequest.shell("echo again"), l).exitCode());
            assertEquals("again\n", l.stdout());
        }
        assertEquals(volume, volumeList(volume));
    }

    /** An agent that does not start: plain mode with the reason, and its volume is removed so the next run refills it. */
    @Test
    void agentThatNeverSaysHelloMeansPlainModeWithTheReason() {
        byte[] mute = "#!/bin/sh\necho 'cannot start: no luck' >&2\nexit 3\n".getBytes(StandardCharsets.US_ASCII);
        RunSpec spec = RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "agent-mute", OWNER).withNetworkMode("none")
                .withAgentBinary(mute);
        try (RunContainer c = engine.startRun(spec)) {
            assertEquals(ExecMode.DOCKER, c.execMode().mode());
            assertEquals("the exec agent did not start: it exited with code 3 (agent's stderr: cannot start: no luck)",
                    c.execMode().reason());
            assertEquals("", volumeList(AgentVolume.nameOf(mute)), "the volume of an agent that did not start is removed");
            RecordingListener l = new RecordingListener();
            assertEquals(0, c.exec(ExecRequest.shell("echo plain"), l).exitCode());
            assertEquals("plain\n", l.stdout());
        }
    }

    @Test
    void plainModeAskedForStartsNoAgent() {
        try (RunContainer c = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "agent-off", OWNER)
                .withNetworkMode("none").withExecMode(ExecMode.DOCKER))) {
            assertEquals(new ExecModeReport(ExecMode.DOCKER, "plain docker exec was asked for"), c.execMode());
            assertNull(c.agent());
            String ps = DockerTestSupport.runOk("docker", "exec", c.id(), "ps", "-o", "args");
            assertTrue(!ps.contains(ExecAgent.NAME), ps);
        }
    }

    private static void waitFor(RunContainer c, String process) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> out = new ArrayList<>();
            DockerTestSupport.run(out, 30, "docker", "exec", c.id(), "ps", "-o", "args");
            if (String.join("\n", out).contains(process)) return;
            Thread.sleep(50);
        }
        throw new AssertionError(process + " never ran");
    }
}
