package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.DockerEngineExtension;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.container.ExecMode;
import io.jenkins.plugins.quire.log.JobState;
import io.jenkins.plugins.quire.log.JsonlReader;
import io.jenkins.plugins.quire.log.LogEvent;
import io.jenkins.plugins.quire.log.RunStatus;
import io.jenkins.plugins.quire.pipeline.JobDefinition;
import io.jenkins.plugins.quire.pipeline.PipelineLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Jobs of one run running at once in the run's one container, against the real dockerd: who overlaps whom is read from
 * the timestamps the run log recorded (never from a wall-clock bound), and every way a run with several jobs running
 * can end (abort, container death, one job's timeout) leaves each job in the right state and no container behind.
 * Those endings and each job's own environment, directory and user are exec semantics: they run in both exec modes
 * (each checked against the run log's {@code exec-mode}); the scheduling tests run in the default mode (agent).
 */
@Timeout(180)
class ParallelRunIT {
    private static final String OWNER = "quire-test-parallel";

    @TempDir Path ws;

    @RegisterExtension
    static final DockerEngineExtension DOCKER = new DockerEngineExtension(OWNER);

    private RunOptions.Builder options() {
        return RunOptions.builder(ws).imageOverride(DockerTestSupport.BUSYBOX).owner(OWNER).logsDir(ws.resolve("logs"));
    }

    private void write(String... lines) throws Exception {
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), "(local ci (require :quire.ci))\n" + String.join("\n", lines));
    }

    private RunResult run(RunOptions.Builder b) throws Exception {
        return new PipelineRunner(b.build(), List.of()).run();
    }

    private List<LogEvent> runEvents() throws Exception {
        return JsonlReader.readAll(ws.resolve("logs/log.jsonl"));
    }

    /** [start, end] of each job that started, from the run log. */
    private Map<String, Instant[]> spans() throws Exception {
        Map<String, Instant[]> spans = new HashMap<>();
        for (LogEvent e : runEvents()) {
            if (e instanceof LogEvent.JobStart s) spans.put(s.job(), new Instant[] {s.ts(), null});
            if (e instanceof LogEvent.JobEnd j && spans.containsKey(j.job())) spans.get(j.job())[1] = j.ts();
        }
        return spans;
    }

    private static boolean overlap(Instant[] a, Instant[] b) {
        return a[0].isBefore(b[1]) && b[0].isBefore(a[1]);
    }

    private static JobOutcome job(RunResult r, String id) {
        return r.jobs().stream().filter(j -> j.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aDiamondRunsItsTwoBranchesAtOnceAndTheJoinAfterBoth() throws Exception {
        write("(ci.job :a [:quire/push] (fn [{: sh}] (sh \"true\") {:v 1}))",
                "(ci.job :b [:a] (fn [{: sh : jobs}] (sh \"sleep 1\") {:v (+ 1 (. (jobs :a) :v))}))",
                "(ci.job :c [:a] (fn [{: sh : jobs}] (sh \"sleep 1\") {:v (+ 2 (. (jobs :a) :v))}))",
                "(ci.job :d [:b :c] (fn [{: jobs}] {:sum (+ (. (jobs :b) :v) (. (jobs :c) :v))}))");
        RunResult r = run(options().parallel(4));
        assertEquals(RunStatus.SUCCESS, r.status(), r.toString());
        assertEquals(5, job(r, "d").outputs().get("sum").intValue());
        Map<String, Instant[]> s = spans();
        assertTrue(overlap(s.get("b"), s.get("c")), "b and c ran one after the other");
        assertFalse(s.get("d")[0].isBefore(s.get("b")[1]), "d started before b ended");
        assertFalse(s.get("d")[0].isBefore(s.get("c")[1]), "d started before c ended");
        assertFalse(s.get("b")[0].isBefore(s.get("a")[1]), "b started before a ended");
        LogEvent.Pipeline p = (LogEvent.Pipeline) runEvents().get(0);
        assertEquals(4, p.parallel());
        assertEquals(List.of("b", "c"), p.jobs().get(3).inputs());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void aFanOutOfEightRunsAtMostNAtOnceEachWithItsOwnJobVariableAndTemporaryDirectory(ExecMode mode) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lines.add("(ci.job :fan" + i + " [:quire/push] (fn [{: sh}] (let [r (sh \"f=$(mktemp) && echo $QUIRE_JOB"
                    + " $TMPDIR $f && stat -c '%a %u' $TMPDIR && sleep 0.5\")] {:out r.stdout :exit r.exit})))");
        }
        write(lines.toArray(new String[0]));
        RunResult r = run(options().parallel(3).execUser("1234:1234").execMode(mode));
        RunExecMode.assertRanIn(ws.resolve("logs"), mode);
        assertEquals(RunStatus.SUCCESS, r.status(), r.toString());
        for (int i = 0; i < 8; i++) {
            String out = job(r, "fan" + i).outputs().get("out").textValue();
            String[] l = out.split("\n");
            assertTrue(l[0].startsWith("fan" + i + " /tmp/quire/fan" + i + " /tmp/quire/fan" + i + "/"), out);
            assertEquals("700 1234", l[1], out);
        }
        Map<String, Instant[]> s = spans();
        int most = 0;
        for (Instant[] a : s.values()) {
            int at = 0;
            for (Instant[] b : s.values()) if (!b[0].isAfter(a[0]) && b[1].isAfter(a[0])) at++;
            most = Math.max(most, at);
        }
        assertTrue(most >= 2, "the fan-out never ran two jobs at once");
        assertTrue(most <= 3, "more than --parallel 3 jobs ran at once: " + most);
    }

    @Test
    void aFailureInOneBranchSkipsItsDependentsWhileTheOtherBranchFinishes() throws Exception {
        write("(ci.job :breaks [:quire/push] (fn [{: sh}] (sh \"exit 3\") (error \"broken on purpose\")))",
                "(ci.job :after-break [:breaks] (fn [] {}))",
                "(ci.job :long [:quire/push] (fn [{: sh}] (sh \"sleep 1\") {:done true}))",
                "(ci.job :after-long [:long] (fn [] {:done true}))");
        RunResult r = run(options());
        assertEquals(RunStatus.FAILURE, r.status());
        assertEquals(JobState.FAILED, job(r, "breaks").state());
        assertEquals(JobState.SKIPPED, job(r, "after-break").state());
        assertEquals("upstream 'breaks' failed", job(r, "after-break").reason());
        assertEquals(JobState.SUCCEEDED, job(r, "long").state());
        assertEquals(JobState.SUCCEEDED, job(r, "after-long").state());
        Map<String, Instant[]> s = spans();
        assertTrue(s.get("breaks")[1].isBefore(s.get("long")[1]), "long did not go on after breaks failed");
        assertTrue(overlap(s.get("breaks"), s.get("long")));
    }

    @Test
    void aCpuBoundRunFunctionDoesNotStallAnotherJobsSh() throws Exception {
        write("(ci.job :cpu [:quire/push] (fn [] (var x 0) (for [i 1 6000000] (set x (+ x (% i 7)))) {:x x}))",
                "(ci.job :sleeper [:quire/push] (fn [{: sh}] (for [i 1 8] (sh \"sleep 0.1\")) {:done true}))");
        RunResult r = run(options().jobLimits(RunOptions.DEFAULT_JOB_LIMITS.withMaxInstructions(200_000_000L)));
        assertEquals(RunStatus.SUCCESS, r.status(), r.toString());
        Instant[] cpu = spans().get("cpu");
        int during = 0;
        for (LogEvent e : JsonlReader.readAll(ws.resolve("logs/jobs/sleeper/log.jsonl"))) {
            if (e instanceof LogEvent.ShStart st && st.ts().isAfter(cpu[0]) && st.ts().isBefore(cpu[1])) during++;
        }
        assertTrue(during >= 2, "the sleeper's sh waited for the CPU-bound job: " + during + " sh started while it ran");
    }

    @Test
    void oneAtATimeRunsTheJobsInTheOldOrderWithoutOverlap() throws Exception {
        String[] src = {"(ci.job :d [:b :c] (fn [] {}))", "(ci.job :a [:quire/push] (fn [{: sh}] (sh \"true\") {}))",
                "(ci.job :c [:a] (fn [{: sh}] (sh \"true\") {}))", "(ci.job :b [:a] (fn [] {}))",
                "(ci.job :e [:quire/push] (fn [] {}))"};
        write(src);
        RunResult r = run(options().parallel(1));
        assertEquals(RunStatus.SUCCESS, r.status());
        List<String> started = new ArrayList<>();
        for (LogEvent e : runEvents()) if (e instanceof LogEvent.JobStart s) started.add(s.job());
        List<String> expected;
        try (var loaded = PipelineLoader.load(Files.readString(ws.resolve(".quire/ci.fnl")), "ci.fnl", null)) {
            expected = loaded.pipeline().topologicalOrder().stream().map(JobDefinition::id).toList();
        }
        assertEquals(expected, started);
        assertEquals(List.of("quire/push", "a", "c", "b", "d", "e"), started);
        List<Instant[]> s = new ArrayList<>(spans().values());
        for (Instant[] a : s) for (Instant[] b : s) if (a != b) assertFalse(overlap(a, b), "jobs overlapped");
    }

    /** Four jobs each in a sleeping sh; then a fifth waits for a slot and a sixth for the first. */
    private void fourRunningAndTwoWaiting() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            lines.add("(ci.job :run" + i + " [:quire/push] (fn [{: sh}] (sh \"sleep 300 & sleep 300; touch"
                    + " /work/after-$QUIRE_JOB\") {}))");
        }
        lines.add("(ci.job :waits-for-slot [:quire/push] (fn [] {}))");
        lines.add("(ci.job :waits-for-run0 [:run0] (fn [] {}))");
        write(lines.toArray(new String[0]));
    }

    /** Runs in the background; returns once each of {@code jobs} has its sh running. */
    private Thread startAndWaitForSh(PipelineRunner runner, AtomicReference<Object> result, List<String> jobs)
            throws Exception {
        Thread t = new Thread(() -> {
            try {
                result.set(runner.run());
            } catch (Exception e) {
                result.set(e);
            }
        });
        t.start();
        for (String id : jobs) {
            Path log = ws.resolve("logs/jobs/" + id + "/log.jsonl");
            while (!Files.exists(log) || !Files.readString(log).contains("\"sh-start\"")) {
                assertTrue(t.isAlive(), "the run ended early: " + result.get());
                Thread.sleep(20);
            }
        }
        return t;
    }

    /** As {@link #startAndWaitForSh} for the four jobs of {@link #fourRunningAndTwoWaiting}. */
    private Thread startAndWaitForFourSh(PipelineRunner runner, AtomicReference<Object> result) throws Exception {
        Thread t = startAndWaitForSh(runner, result, List.of("run0", "run1", "run2", "run3"));
        Thread.sleep(300); // the shells have forked their sleeps
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void anAbortWithFourJobsRunningKillsEveryShAbortsThemAndSkipsTheRest(ExecMode mode) throws Exception {
        fourRunningAndTwoWaiting();
        PipelineRunner runner = new PipelineRunner(options().parallel(4).execMode(mode).build(), List.of());
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = startAndWaitForFourSh(runner, result);
        runner.abort("stop button");
        t.join(30_000);
        assertFalse(t.isAlive(), "the aborted run did not end");
        RunResult r = (RunResult) result.get();
        RunExecMode.assertRanIn(ws.resolve("logs"), mode);
        assertEquals(RunStatus.ABORTED, r.status());
        for (int i = 0; i < 4; i++) {
            assertEquals(JobState.ABORTED, job(r, "run" + i).state());
            assertEquals("run aborted: stop button", job(r, "run" + i).reason());
            String log = Files.readString(ws.resolve("logs/jobs/run" + i + "/log.jsonl"));
            assertTrue(log.contains("\"signal\":\"SIGKILL\""), log);
        }
        assertEquals(JobState.SKIPPED, job(r, "waits-for-slot").state());
        assertEquals("run aborted: stop button", job(r, "waits-for-slot").reason());
        assertEquals(JobState.SKIPPED, job(r, "waits-for-run0").state());
        LogEvent last = runEvents().get(runEvents().size() - 1);
        assertEquals(RunStatus.ABORTED, ((LogEvent.RunEnd) last).status());
        Thread.sleep(500);
        for (int i = 0; i < 4; i++) assertFalse(Files.exists(ws.resolve("after-run" + i)), "a shell went on after the kill");
        assertEquals(List.of(), DOCKER.engine().containersOf(OWNER));
        assertNoRunThreadLeft();
    }

    @Test
    void anAbortWhileOneJobSpinsInLuaAndOthersShLeavesNoThreadBehind() throws Exception {
        write("(ci.job :spin [:quire/push] (fn [] (while true nil) {}))",
                "(ci.job :sh1 [:quire/push] (fn [{: sh}] (sh \"sleep 300\") {}))",
                "(ci.job :sh2 [:quire/push] (fn [{: sh}] (sh \"sleep 300\") {}))",
                "(ci.job :later [:sh1] (fn [] {}))");
        PipelineRunner runner = new PipelineRunner(options().parallel(4).build(), List.of());
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = startAndWaitForSh(runner, result, List.of("sh1", "sh2"));
        runner.abort("stop button");
        t.join(30_000);
        assertFalse(t.isAlive(), "the aborted run did not end");
        RunResult r = (RunResult) result.get();
        assertEquals(RunStatus.ABORTED, r.status());
        assertEquals(JobState.ABORTED, job(r, "sh1").state());
        assertEquals(JobState.SKIPPED, job(r, "later").state());
        assertEquals(List.of(), DOCKER.engine().containersOf(OWNER));
        assertNoRunThreadLeft();
    }

    /** No job thread, Lua thread or run timer outlives its run (a bounded wait: they end as the run ends). */
    private static void assertNoRunThreadLeft() throws InterruptedException {
        List<String> left = List.of();
        for (int i = 0; i < 100; i++) {
            left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(n -> n.startsWith("quire-job-") || n.startsWith("quire-lua-exec-") || n.equals("quire-run-timer"))
                    .toList();
            if (left.isEmpty()) return;
            Thread.sleep(50);
        }
        assertEquals(List.of(), left, "threads left after the run");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void aContainerKilledWithFourJobsRunningFailsThemAllAndSkipsTheRest(ExecMode mode) throws Exception {
        fourRunningAndTwoWaiting();
        PipelineRunner runner = new PipelineRunner(options().parallel(4).execMode(mode).build(), List.of());
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = startAndWaitForFourSh(runner, result);
        for (String id : DOCKER.engine().containersOf(OWNER)) DockerTestSupport.runOk("docker", "kill", id);
        t.join(30_000);
        assertFalse(t.isAlive(), "the run did not end after its container died");
        RunResult r = (RunResult) result.get();
        RunExecMode.assertRanIn(ws.resolve("logs"), mode);
        assertEquals(RunStatus.CONTAINER_DIED, r.status());
        for (int i = 0; i < 4; i++) {
            assertEquals(JobState.FAILED, job(r, "run" + i).state());
            assertTrue(job(r, "run" + i).reason().startsWith("container died: "), job(r, "run" + i).reason());
        }
        assertEquals(JobState.SKIPPED, job(r, "waits-for-slot").state());
        assertTrue(job(r, "waits-for-slot").reason().startsWith("container died: "));
        assertEquals(JobState.SKIPPED, job(r, "waits-for-run0").state());
        long deaths = runEvents().stream().filter(e -> e instanceof LogEvent.ContainerDied).count();
        assertEquals(1, deaths, "the death is recorded once");
        assertEquals(List.of(), DOCKER.engine().containersOf(OWNER));
        assertNoRunThreadLeft();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExecMode.class)
    void aJobTimeoutKillsOnlyThatJobsShWhileAnotherJobsShRunsOn(ExecMode mode) throws Exception {
        write("(ci.job :slow [:quire/push] (fn [{: sh}] (sh \"sleep 300; touch /work/after-slow\") {}))",
                "(ci.job :warmup [:quire/push] (fn [{: sh}] (sh \"sleep 2\") {}))",
                "(ci.job :spans-the-timeout [:warmup] (fn [{: sh}] (let [r (sh \"sleep 2; echo finished\")]"
                        + " {:out r.stdout})))");
        RunResult r = run(options().parallel(4).jobTimeout(Duration.ofSeconds(3)).execMode(mode));
        RunExecMode.assertRanIn(ws.resolve("logs"), mode);
        assertEquals(RunStatus.FAILURE, r.status());
        assertEquals(JobState.FAILED, job(r, "slow").state());
        assertTrue(job(r, "slow").reason().contains("timed out after 3.0 s"), job(r, "slow").reason());
        assertEquals(JobState.SUCCEEDED, job(r, "spans-the-timeout").state(), job(r, "spans-the-timeout").reason());
        assertEquals("finished\n", job(r, "spans-the-timeout").outputs().get("out").textValue());
        Map<String, Instant[]> s = spans();
        assertTrue(s.get("spans-the-timeout")[0].isBefore(s.get("slow")[1]), "the other job was not running at the timeout");
        assertFalse(Files.exists(ws.resolve("after-slow")));
    }
}
