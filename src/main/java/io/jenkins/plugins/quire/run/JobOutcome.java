package io.jenkins.plugins.quire.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.quire.log.JobState;

/**
 * How one job of a run ended: its state, duration, the failure or skip reason, and its outputs (JSON, unredacted:
 * what descendants read through {@code (jobs id)}; the logs hold the redacted copy).
 *
 * @param failedRoot for a job skipped because of a failure upstream, the job that failed first; else null
 */
public record JobOutcome(String id, JobState state, long durationMs, String reason, JsonNode outputs,
        String failedRoot) {

    public boolean failedOrSkippedByFailure() {
        return state == JobState.FAILED || failedRoot != null;
    }

    /** The job whose failure this outcome stands for (itself when it failed), or null. */
    public String failureOrigin() {
        return state == JobState.FAILED ? id : failedRoot;
    }
}
