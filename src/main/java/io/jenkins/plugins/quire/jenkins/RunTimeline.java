package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.log.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run on one time axis, drawn as SVG: a row per job with a bar from its {@code job-start} to its {@code job-end}
 * (a running job up to the axis' end) and inside it a block per {@code sh}, so jobs running at the same time are
 * seen overlapping. The axis runs from the run's first event to its end (or to now while it runs), with a tick
 * scale of round steps (1, 2, 5 × 10ⁿ ms, then seconds, minutes and hours) and readable labels.
 */
final class RunTimeline {
    /** Jobs above which the timeline is not drawn (the page says so). */
    static final int MAX_ROWS = 400;
    static final int LABEL_W = 160;
    static final int AREA_W = 780;
    static final int RIGHT = 130;
    static final int AXIS_H = 26;
    static final int ROW_H = 24;
    /** Ticks the axis aims at, at most. */
    static final int MAX_TICKS = 8;

    private static final long[] STEPS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000,
            30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000,
            21_600_000, 43_200_000, 86_400_000};

    /** One job's row: its state, start and end (null when missing) and its {@code sh} calls. */
    record Row(String id, String state, Instant start, Instant end, List<ShSpan> spans, int omittedSpans) {}

    private final Instant from;
    private final Instant to;
    private final List<Row> rows;
    private final long spanMs;
    private final long step;

    /** {@code from}/{@code to}: the axis' ends; {@code to} is moved to {@code from} when earlier. */
    RunTimeline(Instant from, Instant to, List<Row> rows) {
        this.from = from;
        this.to = to.isBefore(from) ? from : to;
        this.rows = rows;
        this.spanMs = Math.max(1, Duration.between(this.from, this.to).toMillis());
        this.step = step(spanMs);
    }

    /** The round tick step for an axis of {@code spanMs}: the smallest of {@link #STEPS} giving at most {@link #MAX_TICKS} ticks. */
    static long step(long spanMs) {
        for (long s : STEPS) if (spanMs / s <= MAX_TICKS) return s;
        long day = STEPS[STEPS.length - 1];
        return ((spanMs / MAX_TICKS) / day + 1) * day;
    }

    /** The label of the tick at {@code ms} from the start, e.g. {@code 0 s}, {@code 0.25 s}, {@code 1 min 30 s}, {@code 2 h}. */
    static String tickLabel(long ms) {
        if (ms == 0) return "0 s";
        if (ms < 60_000) {
            String s = java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
            return s + " s";
        }
        if (ms < 3_600_000) {
            long min = ms / 60_000, sec = (ms % 60_000) / 1000;
            return sec == 0 ? min + " min" : min + " min " + sec + " s";
        }
        long h = ms / 3_600_000, min = (ms % 3_600_000) / 60_000;
        return min == 0 ? h + " h" : h + " h " + min + " min";
    }

    long stepMs() {
        return step;
    }

    long spanMs() {
        return spanMs;
    }

    /** Tick positions in ms from the start, 0 included. */
    List<Long> ticks() {
        List<Long> t = new ArrayList<>();
        for (long ms = 0; ms <= spanMs; ms += step) t.add(ms);
        return t;
    }

    /** The x coordinate of an instant (clamped to the axis). */
    double x(Instant t) {
        long ms = Math.max(0, Math.min(spanMs, Duration.between(from, t).toMillis()));
        return LABEL_W + ms * (double) AREA_W / spanMs;
    }

    int width() {
        return LABEL_W + AREA_W + RIGHT;
    }

    int height() {
        return AXIS_H + rows.size() * ROW_H + 6;
    }

    /** The timeline as an inline SVG element, everything from the logs escaped. */
    String svg() {
        SvgWriter w = new SvgWriter();
        int width = width(), height = height();
        w.start("svg", "xmlns", "http://www.w3.org/2000/svg", "data-kind", "quire-timeline", "id", "quire-timeline",
                "width", width, "height", height, "viewBox", "0 0 " + width + " " + height, "role", "img",
                "aria-label", "timeline", "font-family", "sans-serif");
        w.start("g", "data-kind", "quire-axis", "font-size", "11", "fill", "#57606a");
        for (long ms : ticks()) {
            double x = LABEL_W + ms * (double) AREA_W / spanMs;
            w.empty("line", "x1", x, "y1", (double) AXIS_H - 6, "x2", x, "y2", (double) height - 4,
                    "stroke", "#d0d7de", "stroke-width", "1");
            w.element("text", tickLabel(ms), "data-kind", "quire-tick", "x", x, "y", (double) AXIS_H - 10,
                    "text-anchor", "middle");
        }
        w.end();
        for (int i = 0; i < rows.size(); i++) row(w, rows.get(i), AXIS_H + i * ROW_H);
        return w.toString();
    }

    private void row(SvgWriter w, Row r, double top) {
        w.start("g", "data-kind", "quire-row quire-row-" + r.state(), "data-job", r.id(), "data-state", r.state());
        w.element("text", Labels.shorten(r.id(), 22), "x", (double) LABEL_W - 8, "y", top + 16,
                "text-anchor", "end", "font-size", "12", "fill", "#1f2328");
        if (r.start() == null) {
            w.element("text", r.state(), "x", (double) LABEL_W + 4, "y", top + 16, "font-size", "11",
                    "font-style", "italic", "fill", StateColours.stroke(r.state()));
            w.end();
            return;
        }
        Instant end = r.end() == null ? to : r.end();
        double x1 = x(r.start()), x2 = Math.max(x1 + 2, x(end));
        w.start("rect", "data-kind", "quire-bar", "x", x1, "y", top + 3, "width", x2 - x1, "height", (double) ROW_H - 6,
                "rx", 3.0, "fill", StateColours.fill(r.state()), "stroke", StateColours.stroke(r.state()),
                "stroke-dasharray", StateColours.dash(r.state()));
        w.element("title", r.id() + ": " + r.state() + ", "
                + (r.end() == null ? "running for " : "") + Durations.format(Duration.between(r.start(), end).toMillis())
                + (r.spans().isEmpty() ? "" : ", " + (r.spans().size() + r.omittedSpans()) + " sh"));
        w.end();
        for (ShSpan s : r.spans()) {
            if (s.getStart() == null) continue;
            Instant sEnd = s.getEnd() == null ? end : s.getEnd();
            double sx1 = x(s.getStart()), sx2 = Math.max(sx1 + 1, x(sEnd));
            w.start("rect", "data-kind", "quire-span quire-span-" + s.getOutcome(), "x", sx1, "y", top + 7,
                    "width", sx2 - sx1, "height", (double) ROW_H - 14, "fill", StateColours.shFill(s.getOutcome()));
            String result = s.getEnd() == null ? "running" : s.getOutcome() + ", " + Durations.format(s.getDurationMs());
            w.element("title", "$ " + (s.getCmd() == null ? "?" : s.getCmd()) + "\n" + r.id() + " sh " + s.getN()
                    + ": " + result);
            w.end();
        }
        if (r.omittedSpans() > 0) {
            w.element("text", "+" + r.omittedSpans() + " sh not drawn", "data-kind", "quire-omitted",
                    "x", (double) LABEL_W + AREA_W + 6, "y", top + 16, "font-size", "11", "fill", "#57606a");
        }
        w.end();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "timeline %d ms, step %d ms, %d rows", spanMs, step, rows.size());
    }
}
