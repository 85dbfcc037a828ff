package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.log.Durations;
import io.jenkins.plugins.quire.log.JsonlReader;
import io.jenkins.plugins.quire.log.LogEvent;
import io.jenkins.plugins.quire.log.LogPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Quire CI page shows about one run, read from its logs folder ({@code log.jsonl} plus
 * {@code jobs/<id>/log.jsonl}, docs/log-format.md). Free of Hudson types so it is unit-tested on plain files. Reading
 * never throws: a log that cannot be read becomes a problem line on the page. A run without {@code run-end} is
 * still being written (or was cut short); a torn last line is ignored by {@link JsonlReader}.
 */
public final class RunView {
    /**
     * Job logs larger than this are not rendered (the reader holds a whole file in memory while parsing it); the
     * page links to the raw log instead.
     */
    public static final long MAX_RENDERED_JOB_LOG_BYTES = 64L << 20;

    private final boolean present;
    private boolean writerMayBeActive;
    private String status;
    private String reason;
    private long durationMs;
    private String image;
    private String containerId;
    private String deathReason;
    private String containerEndStatus;
    private final Map<String, JobView> jobs = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private RunView(boolean present) {
        this.present = present;
    }

    /** Reads the logs folder of a run that may still be writing it. */
    public static RunView read(Path logsDir) {
        return read(logsDir, true);
    }

    /**
     * Reads the logs folder as it is now. {@code writerMayBeActive} is false once the build has stopped: a run or
     * job without its end event is then shown as cut short rather than running.
     */
    public static RunView read(Path logsDir, boolean writerMayBeActive) {
        return read(logsDir, writerMayBeActive, true);
    }

    /** Only the run log (status, container, job states), without the job logs: cheap enough for an icon. */
    public static RunView readRunLogOnly(Path logsDir, boolean writerMayBeActive) {
        return read(logsDir, writerMayBeActive, false);
    }

    /** A view of a run with no logs at all. */
    public static RunView absent() {
        return new RunView(false);
    }

    private static RunView read(Path logsDir, boolean writerMayBeActive, boolean withJobLogs) {
        Path runFile = LogPaths.runFile(logsDir);
        RunView v = new RunView(isPlainFileInside(logsDir, runFile));
        v.writerMayBeActive = writerMayBeActive;
        if (!v.present) return v;
        try {
            for (LogEvent e : JsonlReader.readAll(runFile)) v.apply(e);
        } catch (IOException | RuntimeException ex) {
            v.problems.add(String.valueOf(ex.getMessage()));
        }
        for (JobView job : v.jobs.values()) {
            if (v.isEnded() || !writerMayBeActive) job.unfinished();
            if (!withJobLogs) continue;
            Path jobFile;
            try {
                jobFile = LogPaths.jobFile(logsDir, job.getId());
            } catch (IllegalArgumentException unsafe) {
                job.logProblem(unsafe.getMessage());
                continue;
            }
            if (!Files.exists(jobFile, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(jobFile.getParent())) {
                continue; // a skipped job has no log
            }
            if (!isPlainFileInside(logsDir, jobFile)) {
                job.logProblem("the job log is not a regular file inside the logs folder (a link?): not shown");
                continue;
            }
            job.rawPath(logsDir.relativize(jobFile).toString().replace('\\', '/'));
            long size = sizeOf(jobFile);
            if (size > MAX_RENDERED_JOB_LOG_BYTES) {
                job.logProblem("the job log is " + (size >> 20) + " MiB, more than this page renders ("
                        + (MAX_RENDERED_JOB_LOG_BYTES >> 20) + " MiB): see the raw log");
                continue;
            }
            JobLogReader.fill(job, jobFile);
        }
        return v;
    }

    /**
     * A Jenkinsfile run's logs are archived from the workspace as they are, links included (a job may plant them):
     * only a regular file reached without any link below the logs folder is read.
     */
    private static boolean isPlainFileInside(Path logsDir, Path file) {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    && file.toRealPath().equals(logsDir.toRealPath().resolve(logsDir.relativize(file)));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private void apply(LogEvent e) {
        if (e instanceof LogEvent.ContainerStart c) {
            image = c.image();
            containerId = c.containerId();
        } else if (e instanceof LogEvent.ContainerDied d) {
            deathReason = d.reason();
        } else if (e instanceof LogEvent.ContainerEnd c) {
            containerEndStatus = c.status();
        } else if (e instanceof LogEvent.JobStart s) {
            job(s.job());
        } else if (e instanceof LogEvent.JobEnd j) {
            String outputs = j.outputs() == null || j.outputs().isNull() ? null : j.outputs().toPrettyString();
            String state = j.state() == null ? "unknown" : j.state().wireName();
            job(j.job()).ended(state, j.durationMs(), j.error(), outputs);
        } else if (e instanceof LogEvent.RunEnd r) {
            status = r.status() == null ? "unknown" : r.status().wireName();
            durationMs = r.durationMs();
            reason = r.reason();
        }
    }

    private JobView job(String id) {
        return jobs.computeIfAbsent(id == null ? "" : id, JobView::new);
    }

    /** False when the folder has no {@code log.jsonl} (yet). */
    public boolean isPresent() {
        return present;
    }

    /** True once {@code run-end} was logged. */
    public boolean isEnded() {
        return status != null;
    }

    /** The {@code run-end} status ({@code success}, {@code failure}, {@code container-died}, {@code aborted}); null before it. */
    public String getStatus() {
        return status;
    }

    /** The run's status, or {@code running} (no {@code run-end} yet) or {@code incomplete} (build stopped without it). */
    public String getState() {
        if (status != null) return status;
        return writerMayBeActive ? "running" : "incomplete";
    }

    /** True while the page should refresh itself: no {@code run-end} yet and the writer may still be active. */
    public boolean isLive() {
        return status == null && writerMayBeActive;
    }

    /**
     * Why the run could not start or ended early ({@code run-end}'s reason: invalid pipeline, no engine, missing
     * image, container death, abort); null when it ran its jobs or has not ended.
     */
    public String getReason() {
        return reason;
    }

    public long getDurationMs() {
        return durationMs;
    }

    public String getDuration() {
        return isEnded() ? Durations.format(durationMs) : "";
    }

    public String getImage() {
        return image;
    }

    public String getContainerId() {
        return containerId;
    }

    /** The {@code container-died} reason; null if the container did not die. */
    public String getDeathReason() {
        return deathReason;
    }

    public String getContainerEndStatus() {
        return containerEndStatus;
    }

    public List<JobView> getJobs() {
        return new ArrayList<>(jobs.values());
    }

    /** Jobs per state, e.g. {@code 2 succeeded, 1 skipped}. */
    public String getJobSummary() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (JobView j : jobs.values()) counts.merge(j.getState(), 1, Integer::sum);
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            if (s.length() > 0) s.append(", ");
            s.append(c.getValue()).append(' ').append(c.getKey());
        }
        return s.length() == 0 ? "no jobs" : s.toString();
    }

    /** Logs that could not be read (file and line), shown on the page. */
    public List<String> getProblems() {
        return problems;
    }
}
