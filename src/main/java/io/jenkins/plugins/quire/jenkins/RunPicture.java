package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.log.LogEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link RunView} into the two pictures above the job list of the Quire CI page: the job graph
 * ({@link RunGraph}, from the {@code pipeline} event, or from the jobs seen without edges for a log written before
 * that event existed) and the timeline ({@link RunTimeline}). Jobs the pipeline declares that have not started are
 * {@code pending}. Sources such as {@code quire/push} also have job events in the run log; they are drawn as source
 * nodes of the graph, not as jobs, and have no row on the timeline.
 */
public final class RunPicture {
    private RunPicture() {}

    /** An SVG picture and its size in CSS pixels (the page sizes the frame that shows it). */
    public record Svg(String svg, int width, int height) {
        public String getSvg() {
            return svg;
        }

        public int getWidth() {
            return width;
        }

        public int getHeight() {
            return height;
        }
    }

    /** The job graph as SVG; null when the run has no job or too many to draw. */
    static Svg graph(RunView run) {
        RunGraph g = RunGraph.layout(graphJobs(run));
        return g == null || g.nodes().isEmpty() ? null : new Svg(g.svg(), g.width(), g.height());
    }

    /** The timeline as SVG, its axis ending at {@code now} while the run is live; null when no job started. */
    static Svg timeline(RunView run, Instant now) {
        List<RunTimeline.Row> rows = new ArrayList<>();
        Instant last = run.getLastTs();
        for (GraphJob j : jobs(run).values()) {
            JobView v = j.view;
            if (v == null) {
                rows.add(new RunTimeline.Row(j.id, StateColours.PENDING, null, null, List.of(), 0));
                continue;
            }
            last = later(last, v.getEndTs());
            for (ShSpan s : v.getShSpans()) last = later(later(last, s.getStart()), s.getEnd());
            rows.add(new RunTimeline.Row(j.id, v.getState(), v.getStartTs(), v.getEndTs(), v.getShSpans(),
                    v.getOmittedSpans()));
        }
        if (run.getFirstTs() == null || rows.isEmpty() || rows.size() > RunTimeline.MAX_ROWS) return null;
        Instant to = run.getEndTs() != null ? later(run.getEndTs(), last) : run.isLive() ? later(last, now) : last;
        RunTimeline t = new RunTimeline(run.getFirstTs(), to, rows);
        return new Svg(t.svg(), t.width(), t.height());
    }

    /** Why a picture is missing although the run has jobs; null when both are drawn (or there is nothing to draw). */
    static String note(RunView run) {
        int n = jobs(run).size();
        if (n > RunGraph.MAX_NODES) {
            return "The job graph and timeline are not drawn: the run has " + n + " jobs (at most "
                    + RunGraph.MAX_NODES + " are drawn).";
        }
        return null;
    }

    private static List<RunGraph.Job> graphJobs(RunView run) {
        List<RunGraph.Job> out = new ArrayList<>();
        for (GraphJob j : jobs(run).values()) {
            JobView v = j.view;
            String state = v == null ? StateColours.PENDING : v.getState();
            out.add(new RunGraph.Job(j.id, j.inputs, state, v == null ? "" : v.getDuration(),
                    v == null ? null : v.getReason()));
        }
        return out;
    }

    private record GraphJob(String id, List<String> inputs, JobView view) {}

    /** The jobs in registration order (the pipeline's, then any job only the events name), with their inputs. */
    private static Map<String, GraphJob> jobs(RunView run) {
        Map<String, JobView> seen = new LinkedHashMap<>();
        for (JobView v : run.getJobs()) seen.put(v.getId(), v);
        Map<String, GraphJob> out = new LinkedHashMap<>();
        if (run.getPipeline() != null) {
            for (LogEvent.PipelineJob p : run.getPipeline()) {
                if (p.job() != null) out.putIfAbsent(p.job(), new GraphJob(p.job(), inputs(p), seen.get(p.job())));
            }
        }
        for (JobView v : seen.values()) {
            // a source (quire/push) has job events too; '/' is reserved for sources, no job id holds it
            if (!v.getId().contains("/")) out.putIfAbsent(v.getId(), new GraphJob(v.getId(), List.of(), v));
        }
        return out;
    }

    private static List<String> inputs(LogEvent.PipelineJob p) {
        List<String> in = new ArrayList<>();
        for (String s : p.inputs()) if (s != null && !in.contains(s)) in.add(s);
        return in;
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return b.isAfter(a) ? b : a;
    }
}
