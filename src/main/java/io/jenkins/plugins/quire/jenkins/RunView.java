package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.log.Durations;
import io.jenkins.plugins.quire.log.JsonlReader;
import io.jenkins.plugins.quire.log.LogEvent;
import io.jenkins.plugins.quire.log.LogPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Quire CI page shows about one run, read from its logs folder ({@code log.jsonl} plus
 * {@code jobs/<id>/log.jsonl}, docs/log-format.md). Free of Hudson types so it is unit-tested on plain files.
 * Reading never throws and never holds a whole log: every file is streamed, and what one page keeps is bounded by
 * a {@link PageBudget} (each {@code sh} keeps the head and tail of its output; the page says what was cut). A line
 * that cannot be read becomes a problem line on the page and the events around it are kept. A run without
 * {@code run-end} is still being written (or was cut short); a torn last line is ignored.
 */
public final class RunView {
    /** Longest outputs JSON and failure reason shown per job. */
    static final int MAX_JOB_TEXT_CHARS = 64 * 1024;

    private final boolean present;
    private boolean writerMayBeActive;
    private String status;
    private String reason;
    private long durationMs;
    private String image;
    private String containerId;
    private final List<String> caches = new java.util.ArrayList<>();
    private String deathReason;
    private String containerEndStatus;
    private final Map<String, JobView> jobs = new LinkedHashMap<>();
    private List<LogEvent.PipelineJob> pipeline;
    private int parallel;
    private Instant firstTs;
    private Instant lastTs;
    private Instant endTs;
    private final List<String> problems = new ArrayList<>();
    private final PageBudget budget;

    private RunView(boolean present, PageBudget budget) {
        this.present = present;
        this.budget = budget;
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
        return new RunView(false, new PageBudget());
    }

    private static RunView read(Path logsDir, boolean writerMayBeActive, boolean withJobLogs) {
        return read(logsDir, writerMayBeActive, withJobLogs, new PageBudget());
    }

    /** Reads within {@code budget} (tests pass a small one). */
    static RunView read(Path logsDir, boolean writerMayBeActive, boolean withJobLogs, PageBudget budget) {
        Path runFile = LogPaths.runFile(logsDir);
        RunView v = new RunView(isPlainFileInside(logsDir, runFile), budget);
        v.writerMayBeActive = writerMayBeActive;
        if (!v.present) return v;
        JsonlReader.Visitor visitor = new JsonlReader.Visitor() {
            @Override
            public void event(LogEvent e) {
                v.apply(e);
            }

            @Override
            public void problem(String message) {
                if (v.problems.size() < 20) v.problems.add(PageBudget.cut(message, 1024));
            }
        };
        try {
            budget.spendBytes(JsonlReader.scan(runFile, JobLogReader.MAX_LINE_BYTES, budget.bytesLeft(), visitor));
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
            JobLogReader.fill(job, jobFile, budget);
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

    /** Characters of log text this view holds (bounded by its {@link PageBudget}). */
    long retainedChars() {
        long n = 0;
        for (JobView j : jobs.values()) {
            n += j.retainedChars();
            for (ShBlockView b : j.getShBlocks()) n += b.retainedChars();
        }
        for (String p : problems) n += p.length();
        return n;
    }

    private void apply(LogEvent e) {
        if (e.ts() != null) {
            if (firstTs == null || e.ts().isBefore(firstTs)) firstTs = e.ts();
            if (lastTs == null || e.ts().isAfter(lastTs)) lastTs = e.ts();
        }
        if (e instanceof LogEvent.Pipeline p) {
            if (pipeline == null) {
                pipeline = p.jobs();
                parallel = p.parallel();
            }
        } else if (e instanceof LogEvent.ContainerStart c) {
            image = c.image();
            containerId = c.containerId();
        } else if (e instanceof LogEvent.CacheMount m) {
            caches.add(m.path() + " (" + (m.created() ? "new" : "reused") + " volume " + m.volume() + ")");
        } else if (e instanceof LogEvent.ContainerDied d) {
            deathReason = d.reason();
        } else if (e instanceof LogEvent.ContainerEnd c) {
            containerEndStatus = c.status();
        } else if (e instanceof LogEvent.JobStart s) {
            job(s.job()).startedAt(s.ts());
        } else if (e instanceof LogEvent.JobEnd j) {
            String outputs = j.outputs() == null || j.outputs().isNull() ? null : j.outputs().toPrettyString();
            String state = j.state() == null ? "unknown" : j.state().wireName();
            JobView job = job(j.job());
            job.ended(state, j.durationMs(), budget.clip(j.error(), MAX_JOB_TEXT_CHARS),
                    budget.clip(outputs, MAX_JOB_TEXT_CHARS));
            job.endedAt(j.ts());
        } else if (e instanceof LogEvent.RunEnd r) {
            status = r.status() == null ? "unknown" : r.status().wireName();
            durationMs = r.durationMs();
            reason = r.reason();
            endTs = r.ts();
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

    /** The caches the run mounted ({@code cache-mount} events): {@code <path> (new|reused volume <name>)}. */
    public List<String> getCaches() {
        return List.copyOf(caches);
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

    /** True when this page reached its {@link PageBudget}: some output, commands or blocks are cut. */
    public boolean isBudgetExhausted() {
        return budget.exhausted();
    }

    /** The page-level cut notice, or null when nothing was cut for lack of room. */
    public String getBudgetNote() {
        if (!budget.exhausted()) return null;
        return "This page shows at most " + (PageBudget.CHARS >> 20) + " Mi characters of output and "
                + PageBudget.BLOCKS + " sh blocks; the rest is cut here: see each job's raw log.";
    }

    /**
     * The jobs as the {@code pipeline} event declared them (registration order, with inputs); null for a log written
     * before that event existed.
     */
    public List<LogEvent.PipelineJob> getPipeline() {
        return pipeline;
    }

    /** The most jobs the run lets run at once ({@code pipeline} event); 0 when unknown. */
    public int getParallel() {
        return parallel;
    }

    /** The earliest {@code ts} of the run log; null when it has no event. */
    public Instant getFirstTs() {
        return firstTs;
    }

    /** The latest {@code ts} of the run log; null when it has no event. */
    public Instant getLastTs() {
        return lastTs;
    }

    /** The {@code run-end} time; null before it. */
    public Instant getEndTs() {
        return endTs;
    }

    /** The job graph as SVG (everything escaped) with its size, or null when there is nothing to draw. */
    public RunPicture.Svg getGraph() {
        return RunPicture.graph(this);
    }

    /** The timeline as SVG (escaped) with its size, its axis ending now while the run is live; null when no job started. */
    public RunPicture.Svg getTimeline() {
        return RunPicture.timeline(this, Instant.now());
    }

    /** {@link #getGraph()}'s markup, or null. */
    public String getGraphSvg() {
        RunPicture.Svg s = getGraph();
        return s == null ? null : s.svg();
    }

    /** {@link #getTimeline()}'s markup, or null. */
    public String getTimelineSvg() {
        RunPicture.Svg s = getTimeline();
        return s == null ? null : s.svg();
    }

    /** Why the pictures are not drawn (too many jobs); null when they are. */
    public String getPictureNote() {
        return RunPicture.note(this);
    }

    /** Logs that could not be read (file and line), shown on the page. */
    public List<String> getProblems() {
        return problems;
    }
}
