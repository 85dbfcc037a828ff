package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.log.JobState;
import io.jenkins.plugins.quire.pipeline.JobDefinition;
import io.jenkins.plugins.quire.pipeline.PipelineLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scheduling decisions of {@link JobScheduler}, with job bodies that only record what happened (no Lua, no Docker). */
@Timeout(30)
class JobSchedulerTest {
    private static final String PUSH = JobDefinition.QUIRE_PUSH;

    private static JobDefinition job(String id, String... inputs) {
        return new JobDefinition(id, List.of(inputs), 1, null);
    }

    /** Registration order as a pipeline has it: the user's jobs, then quire/push. */
    private static List<JobDefinition> pipeline(JobDefinition... jobs) {
        List<JobDefinition> all = new ArrayList<>(List.of(jobs));
        all.add(JobDefinition.quirePush());
        return all;
    }

    /** Records start order and how many ran at once; each body's outcome is decided by {@code outcome}. */
    private static final class Recorder {
        final List<String> started = Collections.synchronizedList(new ArrayList<>());
        final List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        final Map<String, String> skipReasons = new ConcurrentHashMap<>();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final Function<String, JobState> outcome;
        final Map<String, CountDownLatch> gates = new HashMap<>();

        Recorder(Function<String, JobState> outcome) {
            this.outcome = outcome;
        }

        JobOutcome run(JobDefinition job) {
            started.add(job.id());
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            try {
                CountDownLatch gate = gates.get(job.id());
                if (gate != null) gate.await(20, TimeUnit.SECONDS);
                else Thread.sleep(2); // long enough for others to overlap if the scheduler lets them
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            return new JobOutcome(job.id(), outcome.apply(job.id()), 1, null, null, null);
        }

        JobOutcome skip(JobDefinition job, String reason, String root) {
            skipped.add(job.id());
            skipReasons.put(job.id(), reason);
            return new JobOutcome(job.id(), JobState.SKIPPED, 0, reason, null, root);
        }
    }

    private static List<String> ids(List<JobOutcome> outcomes) {
        return outcomes.stream().map(JobOutcome::id).toList();
    }

    @Test
    void withOneAtATimeTheJobsRunInTheTopologicalOrderOfThePipeline() throws Exception {
        String src = "(local ci (require :quire.ci))\n"
                + "(ci.job :d [:b :c] (fn [] {}))\n(ci.job :a [:quire/push] (fn [] {}))\n"
                + "(ci.job :c [:a] (fn [] {}))\n(ci.job :b [:a] (fn [] {}))\n(ci.job :e [:quire/push] (fn [] {}))\n"
                + "(ci.job :f [:e :d] (fn [] {}))\n";
        try (var loaded = PipelineLoader.load(src, "ci.fnl", null)) {
            Recorder r = new Recorder(id -> JobState.SUCCEEDED);
            List<JobOutcome> out = new JobScheduler(loaded.pipeline().jobs(), 1, new Abort()).run(r::run, r::skip);
            List<String> expected = loaded.pipeline().topologicalOrder().stream().map(JobDefinition::id).toList();
            assertEquals(expected, ids(out));
            assertEquals(expected, r.started);
            assertEquals(1, r.maxRunning.get());
        }
    }

    @Test
    void randomDagsRunInTopologicalOrderWithOneAndRespectEveryInputWithMany() {
        Random rnd = new Random(42);
        for (int round = 0; round < 40; round++) {
            int n = 2 + rnd.nextInt(12);
            JobDefinition[] jobs = new JobDefinition[n];
            for (int i = 0; i < n; i++) {
                List<String> in = new ArrayList<>();
                for (int j = 0; j < i; j++) if (rnd.nextInt(4) == 0) in.add("j" + j);
                if (in.isEmpty()) in.add(PUSH);
                jobs[i] = new JobDefinition("j" + i, in, 1, null);
            }
            // registration order is shuffled relative to the ids so that order among ready jobs matters
            List<JobDefinition> reg = new ArrayList<>(List.of(jobs));
            Collections.shuffle(reg, rnd);
            reg.add(JobDefinition.quirePush());
            for (int parallel : new int[] {1, 3, 8}) {
                Recorder r = new Recorder(id -> rnd.nextInt(5) == 0 ? JobState.FAILED : JobState.SUCCEEDED);
                List<JobOutcome> out = new JobScheduler(reg, parallel, new Abort()).run(r::run, r::skip);
                assertEquals(reg.size(), out.size());
                Map<String, Integer> endedAt = new HashMap<>();
                for (int i = 0; i < out.size(); i++) endedAt.put(out.get(i).id(), i);
                Map<String, JobOutcome> byId = new HashMap<>();
                for (JobOutcome o : out) byId.put(o.id(), o);
                for (JobDefinition j : reg) {
                    for (String in : j.distinctInputs()) {
                        // a job starts only after each input ended (so it also ends after it)
                        assertTrue(endedAt.get(in) < endedAt.get(j.id()), j.id() + " ended before its input " + in);
                        if (r.started.contains(j.id()))
                            assertTrue(byId.get(in).failureOrigin() == null, j.id() + " ran after a failure of " + in);
                    }
                    boolean upstreamFailed = j.distinctInputs().stream().anyMatch(in -> byId.get(in).failureOrigin() != null);
                    assertEquals(upstreamFailed, r.skipped.contains(j.id()), "skip of " + j.id());
                }
                assertTrue(r.maxRunning.get() <= parallel);
                if (parallel == 1) {
                    assertEquals(new io.jenkins.plugins.quire.pipeline.PipelineTestAccess().order(reg),
                            ids(out), "one at a time is the topological order");
                }
            }
        }
    }

    @Test
    void aJobStartsAsSoonAsItsInputsEndWhileAnIndependentJobStillRuns() {
        CountDownLatch slow = new CountDownLatch(1);
        Recorder r = new Recorder(id -> JobState.SUCCEEDED);
        r.gates.put("slow", slow);
        // "after" only needs "fast", "release" only needs "after": the scheduler must start both (each once its
        // input's end was recorded) while "slow" still waits, and only "release" lets "slow" go
        List<JobDefinition> reg = pipeline(job("slow", PUSH), job("fast", PUSH), job("after", "fast"),
                job("release", "after"));
        List<JobOutcome> out = new JobScheduler(reg, 4, new Abort()).run(job -> {
            if (job.id().equals("release")) slow.countDown();
            return r.run(job);
        }, r::skip);
        List<String> ended = ids(out);
        assertTrue(ended.indexOf("after") < ended.indexOf("slow"), ended.toString());
        assertEquals(5, ended.size());
    }

    @Test
    void atMostNJobsRunAtOnceAndReadyJobsStartInRegistrationOrder() {
        List<JobDefinition> reg = new ArrayList<>();
        for (int i = 0; i < 8; i++) reg.add(job("fan" + i, PUSH));
        reg.add(JobDefinition.quirePush());
        Recorder r = new Recorder(id -> JobState.SUCCEEDED);
        CountDownLatch all = new CountDownLatch(1);
        for (int i = 0; i < 8; i++) r.gates.put("fan" + i, all);
        Thread releaser = new Thread(() -> {
            while (r.running.get() < 3) Thread.onSpinWait();
            all.countDown();
        });
        releaser.start();
        new JobScheduler(reg, 3, new Abort()).run(r::run, r::skip);
        assertEquals(3, r.maxRunning.get());
        // the three that got the slots are the first three registered (each records its start on its own thread)
        assertEquals(Set.of(PUSH, "fan0", "fan1", "fan2"), Set.copyOf(r.started.subList(0, 4)));
        assertEquals(9, r.started.size());
    }

    @Test
    void aFailureSkipsItsTransitiveDependentsWhileTheOtherBranchFinishes() {
        Recorder r = new Recorder(id -> id.equals("b") ? JobState.FAILED : JobState.SUCCEEDED);
        List<JobDefinition> reg = pipeline(job("a", PUSH), job("b", "a"), job("c", "a"), job("d", "b", "c"),
                job("e", "d"), job("other", "c"));
        List<JobOutcome> out = new JobScheduler(reg, 4, new Abort()).run(r::run, r::skip);
        assertEquals(Set.of("d", "e"), Set.copyOf(r.skipped));
        assertEquals("upstream 'b' failed", r.skipReasons.get("d"));
        assertEquals("upstream 'b' failed", r.skipReasons.get("e"));
        assertTrue(r.started.contains("other"));
        assertEquals(7, out.size());
    }

    @Test
    void anAbortStartsNothingNewWaitsForTheRunningJobsAndSkipsTheRest() throws Exception {
        Abort abort = new Abort();
        Recorder r = new Recorder(id -> JobState.ABORTED);
        CountDownLatch release = new CountDownLatch(1);
        r.gates.put("a", release);
        r.gates.put("b", release);
        List<JobDefinition> reg = pipeline(job("a", PUSH), job("b", PUSH), job("c", PUSH), job("d", "a"));
        Thread aborter = new Thread(() -> {
            while (r.running.get() < 2) Thread.onSpinWait();
            abort.trigger(Abort.Kind.ABORTED, "stop button");
            release.countDown();
        });
        aborter.start();
        List<JobOutcome> out = new JobScheduler(reg, 2, abort).run(r::run, r::skip);
        assertEquals(Set.of(PUSH, "a", "b"), Set.copyOf(r.started));
        assertEquals(Set.of("c", "d"), Set.copyOf(r.skipped));
        assertEquals("run aborted: stop button", r.skipReasons.get("c"));
        assertEquals(5, out.size());
    }

    @Test
    void aBodyThatThrowsFailsItsJobAndTheRunStillEnds() {
        List<JobDefinition> reg = pipeline(job("boom", PUSH), job("after", "boom"), job("ok", PUSH));
        Recorder r = new Recorder(id -> JobState.SUCCEEDED);
        List<JobOutcome> out = new JobScheduler(reg, 2, new Abort()).run(job -> {
            if (job.id().equals("boom")) throw new IllegalStateException("bug");
            return r.run(job);
        }, r::skip);
        JobOutcome boom = out.stream().filter(o -> o.id().equals("boom")).findFirst().orElseThrow();
        assertEquals(JobState.FAILED, boom.state());
        assertTrue(boom.reason().contains("bug"));
        assertEquals(List.of("after"), r.skipped);
    }

    @Test
    void anInterruptOfTheSchedulersThreadAbortsTheRunAndStillWaitsForItsJobs() throws Exception {
        Abort abort = new Abort();
        Recorder r = new Recorder(id -> JobState.ABORTED);
        CountDownLatch release = new CountDownLatch(1);
        r.gates.put("a", release);
        abort.onStop(s -> release.countDown());
        List<JobDefinition> reg = pipeline(job("a", PUSH), job("b", "a"));
        List<JobOutcome>[] out = new List[1];
        Thread scheduler = new Thread(() -> out[0] = new JobScheduler(reg, 2, abort).run(r::run, r::skip));
        scheduler.start();
        while (!r.started.contains("a")) Thread.onSpinWait();
        scheduler.interrupt();
        scheduler.join(20_000);
        assertEquals("interrupted", abort.stop().orElseThrow().reason());
        assertEquals(3, out[0].size());
        assertEquals(List.of("b"), r.skipped);
    }
}
