package io.jenkins.plugins.quire.run;

import io.jenkins.plugins.quire.log.JobState;
import io.jenkins.plugins.quire.pipeline.JobDefinition;
import io.jenkins.plugins.quire.pipeline.JobGraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Why: the jobs of a run form a DAG, and a job should start as soon as every input has ended, not after every job
 * registered before it (docs/architecture.md, Scheduling). This decides who runs when: Kahn's algorithm whose ready
 * set is ordered by registration order, with at most {@code parallel} jobs running at once on threads of its own.
 * A job whose input failed (or was skipped because of a failure) is skipped without a thread; once the run is stopped
 * ({@link Abort}) nothing new starts, the running jobs are waited for, and every job not started is skipped with the
 * stop's reason. With {@code parallel} = 1 the jobs run in exactly the order {@code Pipeline.topologicalOrder()}
 * gives. The scheduling itself is pure: what a job does is the {@link JobBody}'s business.
 */
final class JobScheduler {
    /** Runs one job to its end, on a job thread. It should not throw; if it does, the job fails. */
    interface JobBody {
        JobOutcome run(JobDefinition job);
    }

    /** Records a job that does not run (its log's {@code job-end}); called on the scheduler's thread. */
    interface SkipRecorder {
        JobOutcome skip(JobDefinition job, String reason, String failedRoot);
    }

    /** The most jobs a run may run at once (each holds a job thread and a Lua thread). */
    static final int MAX_PARALLEL = 64;

    private static final Object WAKE = new Object();
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final List<JobDefinition> jobs;
    private final int parallel;
    private final Abort abort;
    private final Map<String, JobOutcome> finished = new ConcurrentHashMap<>();

    /**
     * @param jobs every job of the pipeline in registration order (sources included)
     * @param parallel how many jobs may run at once, 1 to {@link #MAX_PARALLEL}
     */
    JobScheduler(List<JobDefinition> jobs, int parallel, Abort abort) {
        if (parallel < 1 || parallel > MAX_PARALLEL)
            throw new IllegalArgumentException("parallel must be from 1 to " + MAX_PARALLEL + ": " + parallel);
        this.jobs = List.copyOf(jobs);
        this.parallel = parallel;
        this.abort = abort;
    }

    /** The outcomes of the jobs that have ended so far (a running job reads its inputs' outputs here). */
    Map<String, JobOutcome> finished() {
        return Collections.unmodifiableMap(finished);
    }

    /**
     * Runs every job and returns their outcomes in the order they ended. Returns only once every job thread has
     * finished: no job outlives its run.
     */
    List<JobOutcome> run(JobBody body, SkipRecorder skips) {
        JobGraph graph = JobGraph.of(jobs);
        int[] missing = graph.inputCounts();
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < jobs.size(); i++) if (missing[i] == 0) ready.add(i);

        List<JobOutcome> order = new ArrayList<>(jobs.size());
        BlockingQueue<Object> done = new LinkedBlockingQueue<>();
        int run = RUNS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(parallel, parallel, 1, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "quire-job-" + run + "-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        Abort.Subscription wake = abort.onStop(s -> done.add(WAKE));
        int running = 0;
        try {
            while (order.size() < jobs.size()) {
                while (running < parallel && !ready.isEmpty()) {
                    int next = ready.poll();
                    JobDefinition job = jobs.get(next);
                    String root = failedRoot(job);
                    String reason = abort.stop().map(Abort.Stop::jobReason)
                            .orElse(root == null ? null : "upstream '" + root + "' failed");
                    if (reason != null) {
                        JobOutcome o = skips.skip(job, reason, root);
                        finished.put(job.id(), o);
                        order.add(o);
                        for (int d : graph.dependents(next)) if (--missing[d] == 0) ready.add(d);
                        continue;
                    }
                    running++;
                    pool.execute(() -> done.add(runGuarded(body, job)));
                }
                if (order.size() == jobs.size()) break;
                if (running == 0 && ready.isEmpty())
                    throw new IllegalStateException("the job graph has a cycle"); // validation rules this out
                Object o = takeOrAbort(done);
                if (o == WAKE) continue;
                JobOutcome outcome = (JobOutcome) o;
                running--;
                finished.put(outcome.id(), outcome);
                order.add(outcome);
                for (int d : graph.dependents(graph.indexOf(outcome.id()))) if (--missing[d] == 0) ready.add(d);
            }
        } finally {
            wake.close();
            pool.shutdown();
            awaitUninterruptibly(pool);
        }
        return order;
    }

    private static JobOutcome runGuarded(JobBody body, JobDefinition job) {
        try {
            JobOutcome o = body.run(job);
            if (o == null || !o.id().equals(job.id())) throw new IllegalStateException("no outcome for " + job.id());
            return o;
        } catch (RuntimeException | Error e) {
            // the scheduler waits for an outcome of every job it started: a body that throws still yields one
            return new JobOutcome(job.id(), JobState.FAILED, 0, "internal error: " + e, null, null);
        }
    }

    /** The first failed job (in input order) whose failure reaches {@code job} through its inputs, or null. */
    private String failedRoot(JobDefinition job) {
        for (String input : job.distinctInputs()) {
            JobOutcome o = finished.get(input);
            if (o != null && o.failureOrigin() != null) return o.failureOrigin();
        }
        return null;
    }

    /**
     * Waits for the next ended job. An interrupt of the scheduler's thread (the run's own) aborts the run through
     * {@link Abort}, which reaches every running job; the scheduler still waits for every started job, since a job
     * thread left running would outlive its run.
     */
    private Object takeOrAbort(BlockingQueue<Object> q) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return q.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                    abort.trigger(Abort.Kind.ABORTED, "interrupted");
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static void awaitUninterruptibly(ExecutorService pool) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (pool.awaitTermination(1, TimeUnit.DAYS)) return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
