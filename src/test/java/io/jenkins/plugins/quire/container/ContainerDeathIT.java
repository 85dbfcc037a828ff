package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real dockerd: a dying container is reported as such, never as a command's exit code; OOM of a command vs the container. */
class ContainerDeathIT {
    /** Plain docker exec here; through the exec agent in the ...AgentIT subclass. */
    static ExecMode mode;
    private static DockerFixture docker;
    private static String owner;
    private static final long LIMIT = 16000L * 4096;   // 16000 pages: oom_score_adj counts per 1000 pages
    private static DockerEngine engine;
    private static Path workspace;

    @BeforeAll
    static void connect(TestInfo info) throws Exception {
        mode = DockerTestSupport.execModeOf(info);
        docker = DockerFixture.open(ContainerDeathIT.class, "death");
        owner = docker.owner();
        engine = docker.engine();
        workspace = docker.workspace();
    }

    @AfterAll
    static void stop() {
        if (docker != null) docker.close();
    }

    @Test
    void dockerKillMidExecIsContainerDeathNotAnExitCode() throws Exception {
        try (RunContainer c = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "kill-1", owner).withExecMode(mode))) {
            CompletableFuture<String> heard = new CompletableFuture<>();
            c.onDeath(heard::complete);
            CountDownLatch running = new CountDownLatch(1);
            ExecListener l = new ExecListener() {
                @Override public void onStdout(byte[] d, int off, int len) { running.countDown(); }

                @Override public void onStderr(byte[] d, int off, int len) { }
            };
            Thread killer = new Thread(() -> {
                try {
                    if (running.await(10, TimeUnit.SECONDS)) DockerTestSupport.runOk("docker", "kill", c.id());
                } catch (InterruptedException ignored) {
                    // test ends anyway
                }
            });
            killer.start();
            ExecResult r = c.exec(ExecRequest.shell("echo up; sleep 60"), l);
            killer.join();
            assertEquals(ExecOutcome.CONTAINER_DIED, r.outcome(), r.toString());
            assertTrue(r.containerDied());
            assertEquals("container was killed (SIGKILL, exit code 137)", r.deathReason().orElse(null));
            assertEquals(r.deathReason(), c.deathReason());
            assertEquals(r.deathReason().get(), heard.get(5, TimeUnit.SECONDS));
            ExecResult after = c.exec(ExecRequest.argv("true"), ExecListener.DISCARD);
            assertEquals(ExecOutcome.CONTAINER_DIED, after.outcome(), "later execs report the death too");
            assertEquals(ExecResult.NO_EXIT_CODE, after.exitCode());
        }
    }

    @Test
    void signalFromOutsideTheContainerIsAFailureNotADeath() {
        try (RunContainer c = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "sig-1", owner).withExecMode(mode))) {
            ExecResult r = c.exec(ExecRequest.shell("kill -9 $$"), ExecListener.DISCARD);
            assertEquals(ExecOutcome.FAILED, r.outcome());
            assertEquals(137, r.exitCode());
            assertFalse(r.containerDied());
            assertTrue(c.deathReason().isEmpty());
        }
    }

    private static boolean memoryLimitApplies(RunContainer c) {
        RecordingListener l = new RecordingListener();
        c.exec(ExecRequest.shell("cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max"), l);
        return l.stdout().trim().equals(String.valueOf(LIMIT));
    }

    @Test
    void commandOomKilledWhileTheContainerSurvives() {
        try (RunContainer c = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "oom-cmd", owner).withExecMode(mode).withMemoryBytes(LIMIT))) {
            Assumptions.assumeTrue(memoryLimitApplies(c), "this kernel does not enforce container memory limits");
            ExecResult r = c.exec(ExecRequest.shell("exec dd if=/dev/zero of=/dev/null bs=256M count=1"), ExecListener.DISCARD);
            assertEquals(ExecOutcome.COMMAND_OOM_KILLED, r.outcome(), r.toString());
            assertEquals("SIGKILL", r.signal().orElse(null));
            assertEquals("command OOM-killed: out of memory (container memory limit 65536000 bytes)", r.reason().orElse(null));
            assertFalse(r.containerDied());
            assertEquals(ExecOutcome.SUCCEEDED, c.exec(ExecRequest.argv("true"), ExecListener.DISCARD).outcome());
        }
    }

    /**
     * An exec that ended by a signal other than SIGKILL waits for the container's death before it is classified. An
     * exec that starts during that wait and is OOM-killed ran beside it by then: its kill is not the first one's.
     */
    @Test
    void anOomKillOfAnExecStartedWhileAnEndedOneIsClassifiedIsNotCountedAgainstIt() throws Exception {
        try (RunContainer c = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "oom-late", owner).withExecMode(mode).withMemoryBytes(LIMIT))) {
            Assumptions.assumeTrue(memoryLimitApplies(c), "this kernel does not enforce container memory limits");
            CountDownLatch said = new CountDownLatch(1);
            ExecListener l = new ExecListener() {
                @Override public void onStdout(byte[] d, int off, int len) { said.countDown(); }

                @Override public void onStderr(byte[] d, int off, int len) { }
            };
            CompletableFuture<ExecResult> eater = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    if (!said.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("the first exec said nothing");
                    Thread.sleep(200);      // the first has ended and is being classified
                    eater.complete(c.exec(ExecRequest.shell("dd if=/dev/zero of=/dev/null bs=256M count=1"), ExecListener.DISCARD));
                } catch (Throwable e) {
                    eater.completeExceptionally(e);
                }
            });
            t.start();
            ExecResult first = c.exec(ExecRequest.shell("echo bye; kill -TERM $$"), l);
            t.join();
            assertEquals(ExecOutcome.COMMAND_OOM_KILLED, eater.get().outcome(), eater.get().toString());
            assertEquals(ExecOutcome.FAILED, first.outcome(), first.toString());
            assertEquals(143, first.exitCode(), first.toString());
        }
    }

    @Test
    void childOomKilledWithShellExitZeroIsStillReportedAndNeverAsExitZero() {
        try (RunContainer c = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "oom-child", owner).withExecMode(mode).withMemoryBytes(LIMIT))) {
            Assumptions.assumeTrue(memoryLimitApplies(c), "this kernel does not enforce container memory limits");
            ExecResult r = c.exec(ExecRequest.shell("dd if=/dev/zero of=/dev/null bs=256M count=1; exit 0"), ExecListener.DISCARD);
            // the shell said 0, but an sh the kernel killed part of for memory is not a success (docs/log-format.md)
            assertEquals(137, r.exitCode(), r.toString());
            assertEquals(ExecOutcome.COMMAND_OOM_KILLED, r.outcome(), r.toString());
        }
    }

    @Test
    void containerOomKilledIsContainerDeath() {
        try (RunContainer c = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "oom-box", owner).withExecMode(mode)
                .withMemoryBytes(LIMIT).withUser("0:0"))) {
            Assumptions.assumeTrue(memoryLimitApplies(c), "this kernel does not enforce container memory limits");
            // make PID 1 (docker-init) the OOM killer's choice, then exhaust the limit with two 40 MB holders
            assertEquals(ExecOutcome.SUCCEEDED, c.exec(ExecRequest.shell("echo 1000 > /proc/1/oom_score_adj"), ExecListener.DISCARD).outcome());
            ExecResult r = c.exec(ExecRequest.shell("(dd if=/dev/zero bs=40M count=1 | sleep 10) & "
                    + "(dd if=/dev/zero bs=40M count=1 | sleep 10) & wait"), ExecListener.DISCARD);
            assertEquals(ExecOutcome.CONTAINER_DIED, r.outcome(), r.toString());
            assertTrue(r.deathReason().orElse("").startsWith("container was OOM-killed (out of memory, limit 65536000 bytes"),
                    r.deathReason().orElse(""));
        }
    }
}
