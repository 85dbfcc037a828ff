package io.jenkins.plugins.quire.run;

import io.jenkins.plugins.quire.log.RunStatus;
import java.util.List;

/** How a run ended: its status (the build result), each job's outcome in execution order, and its duration. */
public record RunResult(RunStatus status, List<JobOutcome> jobs, long durationMs, String containerDeathReason) {
    public RunResult {
        jobs = List.copyOf(jobs);
    }
}
