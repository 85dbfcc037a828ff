package io.jenkins.plugins.quire.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.quire.log.Durations;
import io.jenkins.plugins.quire.log.JobState;
import io.jenkins.plugins.quire.log.RunLog;
import io.jenkins.plugins.quire.pipeline.JobDefinition;
import io.jenkins.plugins.quire.pipeline.JobVm;
import io.jenkins.plugins.quire.pipeline.LoadedPipeline;
import io.jenkins.plugins.quire.sandbox.ScriptException;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Why: what running one job means, from its {@code job-start} to its {@code job-end}, on the job's own thread:
 * reading {@code quire/push} for the source node, or else calling the run-fn in the job's own Lua VM under the job's
 * timeout, turning what it returned into outputs, and deciding the job's final state when the run was stopped
 * meanwhile (aborted: {@code aborted}; container died: {@code failed}). Several run at once, one per running job;
 * they share only the {@link RunContext} and the outcomes of jobs that have ended.
 */
final class JobExecution {
    private final RunContext ctx;
    private final LoadedPipeline pipeline;
    private final Map<String, JobOutcome> finished;

    JobExecution(RunContext ctx, LoadedPipeline pipeline, Map<String, JobOutcome> finished) {
        this.ctx = ctx;
        this.pipeline = pipeline;
        this.finished = finished;
    }

    /** Records a job that does not run: {@code job-end skipped} with the reason. */
    JobOutcome skip(JobDefinition job, String reason, String failedRoot) {
        ctx.log().jobEnd(job.id(), JobState.SKIPPED, 0, reason, null);
        return new JobOutcome(job.id(), JobState.SKIPPED, 0, reason, null, failedRoot);
    }

    JobOutcome run(JobDefinition job) {
        long t0 = System.nanoTime();
        RunLog log = ctx.log();
        log.jobStart(job.id());
        if (job.isSource()) return readSource(job, t0);
        RunOptions options = ctx.options();
        String timeoutReason = "job '" + job.id() + "' timed out after "
                + Durations.format(options.jobTimeout().toMillis());
        JobState state;
        String reason = null;
        JsonNode outputs = null;
        boolean[] timedOut = {false};
        try (JobVm lua = pipeline.openJob(job, ctx.luaBudget());
             Abort.Subscription stop = ctx.abort().onStop(s -> lua.abort(s.jobReason()))) {
            // the job's own timeout stops only its own Lua and, through it, its own running sh
            ScheduledFuture<?> timeout = ctx.timer().schedule(() -> {
                timedOut[0] = true;
                lua.abort(timeoutReason);
            }, options.jobTimeout().toMillis(), TimeUnit.MILLISECONDS);
            try {
                JobRuntime runtime = new JobRuntime(ctx, job.id(), pipeline.pipeline().transitiveInputs(job.id()),
                        finished);
                Varargs ret = lua.run(runtime, options.jobLimits());
                LuaValue v = ret.arg1();
                if (v.isnil()) {
                    state = JobState.SKIPPED;
                    reason = "the run function returned nil";
                } else {
                    try {
                        outputs = LuaJson.toJson(v, options.outputLimits());
                        state = JobState.SUCCEEDED;
                    } catch (LuaJson.TooLargeException e) {
                        state = JobState.FAILED;
                        reason = ctx.redactor().redact(pipeline.fileName() + ":" + job.line() + ": job '" + job.id()
                                + "' returned outputs that are too large: " + e.getMessage());
                    } catch (IllegalArgumentException e) {
                        state = JobState.FAILED;
                        reason = ctx.redactor().redact(pipeline.fileName() + ":" + job.line() + ": job '" + job.id()
                                + "' returned something that is not data: " + e.getMessage());
                    }
                }
            } finally {
                timeout.cancel(false);
            }
        } catch (ScriptException e) {
            state = JobState.FAILED;
            reason = ctx.redactor().redact(e.getMessage());
        }
        Abort.Stop stop = ctx.abort().stop().orElse(null);
        if (stop != null && stop.kind() == Abort.Kind.ABORTED && state != JobState.SUCCEEDED) {
            // it was running when the run was aborted: the abort is why it ended, whatever the script made of it
            state = JobState.ABORTED;
            reason = stop.jobReason();
        } else if (stop != null && stop.kind() == Abort.Kind.CONTAINER_DIED) {
            state = JobState.FAILED; // it was running when the container died: whatever it did last is lost with it
            reason = stop.jobReason();
            outputs = null;
        } else if (timedOut[0] && state != JobState.SUCCEEDED && state != JobState.FAILED) {
            state = JobState.FAILED;
            reason = timeoutReason;
        }
        long ms = elapsedMs(t0);
        log.jobEnd(job.id(), state, ms, reason, outputs);
        return new JobOutcome(job.id(), state, ms, reason, outputs, null);
    }

    private JobOutcome readSource(JobDefinition job, long t0) {
        JsonNode push;
        try {
            push = PushInfo.read(ctx.options().workspace(), ctx.options().environment());
        } catch (TimeoutException e) {
            String reason = "cannot read " + job.id() + ": " + e.getMessage();
            ctx.log().jobEnd(job.id(), JobState.FAILED, elapsedMs(t0), reason, null);
            return new JobOutcome(job.id(), JobState.FAILED, elapsedMs(t0), reason, null, null);
        }
        ctx.log().jobEnd(job.id(), JobState.SUCCEEDED, elapsedMs(t0), null, push);
        return new JobOutcome(job.id(), JobState.SUCCEEDED, elapsedMs(t0), null, push, null);
    }

    private static long elapsedMs(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
