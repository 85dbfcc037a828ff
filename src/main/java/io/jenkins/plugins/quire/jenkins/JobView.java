package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.log.Durations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One job of a run as the Quire CI page shows it: state, duration, failure or skip reason, outputs as pretty JSON
 * and its {@code sh} blocks. Filled by {@link RunView} from the run log and {@link JobLogReader} from the job log.
 */
public final class JobView {
    /** State shown while a job has started but has no {@code job-end} yet. */
    public static final String RUNNING = "running";
    /** State shown when the run ended (or the build stopped) without a {@code job-end} for a started job. */
    public static final String UNFINISHED = "unfinished";

    private final String id;
    private String state = RUNNING;
    private boolean ended;
    private long durationMs;
    private String reason;
    private String outputsJson;
    private String rawPath;
    private final List<ShBlockView> shBlocks = new ArrayList<>();
    private Instant startTs;
    private Instant endTs;
    private final List<ShSpan> shSpans = new ArrayList<>();
    private int omittedSpans;
    private String logProblem;
    private int problems;
    private static final int MAX_PROBLEMS_SHOWN = 5;
    private static final String MORE = "\n(and ";

    JobView(String id) {
        this.id = id;
    }

    public String getId() {
        return id;
    }

    /** {@code succeeded}, {@code failed}, {@code skipped}, {@code aborted}, {@code running} or {@code unfinished}. */
    public String getState() {
        return state;
    }

    public boolean isEnded() {
        return ended;
    }

    public long getDurationMs() {
        return durationMs;
    }

    public String getDuration() {
        return ended ? Durations.format(durationMs) : "";
    }

    /** The failure message (failed) or the skip reason (skipped); null if none. */
    public String getReason() {
        return reason;
    }

    /** The job's outputs as indented JSON; null when it recorded none. */
    public String getOutputsJson() {
        return outputsJson;
    }

    /** The job log's path relative to the logs folder ({@code jobs/<id>/log.jsonl}); null if there is none or the id is unsafe. */
    public String getRawPath() {
        return rawPath;
    }

    public List<ShBlockView> getShBlocks() {
        return shBlocks;
    }

    /** The {@code job-start} time; null when the log has none (a skipped job). */
    public Instant getStartTs() {
        return startTs;
    }

    /** The {@code job-end} time; null before it. */
    public Instant getEndTs() {
        return endTs;
    }

    /** When each of its {@code sh} ran, in log order, for the timeline (at most {@link PageBudget#SPANS_PER_JOB}). */
    public List<ShSpan> getShSpans() {
        return shSpans;
    }

    /** {@code sh} calls left out of {@link #getShSpans()} for lack of room. */
    public int getOmittedSpans() {
        return omittedSpans;
    }

    void startedAt(Instant ts) {
        if (startTs == null) startTs = ts;
    }

    void endedAt(Instant ts) {
        endTs = ts;
    }

    void omitSpan() {
        omittedSpans++;
    }

    /** Why the job log could not be shown (unreadable line, unsafe id); null when fine. */
    public String getLogProblem() {
        return logProblem;
    }

    /** Failed, aborted and still running jobs are shown expanded. */
    public boolean isExpanded() {
        return "failed".equals(state) || "aborted".equals(state) || RUNNING.equals(state);
    }

    void ended(String state, long durationMs, String reason, String outputsJson) {
        this.ended = true;
        this.state = state;
        this.durationMs = durationMs;
        this.reason = reason;
        this.outputsJson = outputsJson;
    }

    void unfinished() {
        if (!ended) state = UNFINISHED;
    }

    void rawPath(String path) {
        this.rawPath = path;
    }

    /** Adds a problem; after the first few only their number is kept. */
    void logProblem(String problem) {
        problems++;
        if (problems <= MAX_PROBLEMS_SHOWN) {
            this.logProblem = logProblem == null ? problem : logProblem + "\n" + problem;
        } else {
            int cut = logProblem.indexOf(MORE);
            String kept = cut < 0 ? logProblem : logProblem.substring(0, cut);
            this.logProblem = kept + MORE + (problems - MAX_PROBLEMS_SHOWN) + " more)";
        }
    }

    /** Characters this job holds for the page outside its sh blocks. */
    long retainedChars() {
        return (reason == null ? 0 : reason.length()) + (outputsJson == null ? 0 : outputsJson.length())
                + (logProblem == null ? 0 : logProblem.length());
    }
}
