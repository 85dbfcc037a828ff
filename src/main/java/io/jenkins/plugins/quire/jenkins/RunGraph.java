package io.jenkins.plugins.quire.jenkins;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job graph of a run laid out in layers, and drawn as SVG: a node per job and per source (such as
 * {@code quire/push}), an edge per input. A node's layer is the longest path to it from a source, so every edge
 * points right; within a layer nodes are ordered by the mean position of their inputs (fewer crossings), ties by
 * registration order. The layout depends only on the jobs given, never on timing: the same pipeline always draws the
 * same picture. A cycle (which validation rejects, but a log is not trusted) does not loop: the closing edge is
 * laid out as if absent.
 */
final class RunGraph {
    /** Jobs above which no graph is drawn (the page says so). */
    static final int MAX_NODES = 400;

    static final int COLUMN = 190;
    static final int JOB_W = 150;
    static final int JOB_H = 38;
    static final int SOURCE_W = 100;
    static final int SOURCE_H = 22;
    static final int ROW = 50;
    static final int PAD = 8;
    /** Characters of a job id shown inside its node (the whole id is in the tooltip). */
    static final int LABEL_CHARS = 20;

    /** One job as the graph needs it: its inputs (job ids or sources), state and duration text. */
    record Job(String id, List<String> inputs, String state, String duration, String reason) {}

    /** A placed node: {@code source} for a source ref, else a job. */
    record Node(String id, boolean source, String state, int layer, int row, double x, double y, double w, double h,
            Job job) {
        double cy() {
            return y + h / 2;
        }
    }

    /** An input edge, from the input's node to the job's node. */
    record Edge(Node from, Node to) {}

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Edge> edges = new ArrayList<>();
    private final int width;
    private final int height;

    private RunGraph(List<Job> jobs) {
        Map<String, Job> byId = new LinkedHashMap<>();
        for (Job j : jobs) byId.putIfAbsent(j.id(), j);
        Map<String, Integer> order = new HashMap<>();
        List<String> sources = new ArrayList<>();
        for (Job j : byId.values()) {
            order.put(j.id(), order.size());
            for (String in : j.inputs()) {
                if (!byId.containsKey(in) && !sources.contains(in)) sources.add(in);
            }
        }
        Map<String, Integer> layers = new HashMap<>();
        for (String s : sources) layers.put(s, 0);
        for (Job j : byId.values()) layer(j.id(), byId, layers, new HashMap<>());

        int maxLayer = 0;
        for (int l : layers.values()) maxLayer = Math.max(maxLayer, l);
        List<List<String>> columns = new ArrayList<>();
        for (int i = 0; i <= maxLayer; i++) columns.add(new ArrayList<>());
        columns.get(0).addAll(sources);
        Map<String, Double> position = new HashMap<>();
        for (int i = 0; i < sources.size(); i++) position.put(sources.get(i), (i + 0.5) / sources.size());
        for (int l = 0; l <= maxLayer; l++) {
            List<String> column = columns.get(l);
            for (Job j : byId.values()) if (layers.get(j.id()) == l) column.add(j.id());
            if (l == 0 && !sources.isEmpty()) {
                // sources first, then jobs without inputs (only in logs that break the rules) in registration order
                for (int i = 0; i < column.size(); i++) position.put(column.get(i), (i + 0.5) / column.size());
                continue;
            }
            Map<String, Double> mean = new HashMap<>();
            for (String id : column) mean.put(id, meanInputPosition(byId.get(id), position));
            column.sort(Comparator.comparingDouble((String id) -> mean.get(id)).thenComparingInt(order::get));
            for (int i = 0; i < column.size(); i++) position.put(column.get(i), (i + 0.5) / column.size());
        }
        int rows = 1;
        for (List<String> c : columns) rows = Math.max(rows, c.size());
        this.height = rows * ROW + 2 * PAD;
        this.width = (maxLayer + 1) * COLUMN - (COLUMN - JOB_W) + 2 * PAD;
        for (int l = 0; l <= maxLayer; l++) {
            List<String> column = columns.get(l);
            double top = PAD + (rows - column.size()) * ROW / 2.0;
            for (int r = 0; r < column.size(); r++) {
                String id = column.get(r);
                Job job = byId.get(id);
                boolean source = job == null;
                double w = source ? SOURCE_W : JOB_W, h = source ? SOURCE_H : JOB_H;
                double x = PAD + l * COLUMN + (source ? (JOB_W - SOURCE_W) / 2.0 : 0);
                double y = top + r * ROW + (ROW - h) / 2;
                nodes.put(id, new Node(id, source, source ? StateColours.SOURCE : job.state(), l, r, x, y, w, h, job));
            }
        }
        for (Job j : byId.values()) {
            for (String in : j.inputs()) edges.add(new Edge(nodes.get(in), nodes.get(j.id())));
        }
    }

    /** Lays out {@code jobs} (registration order); null when there are more than {@link #MAX_NODES}. */
    static RunGraph layout(List<Job> jobs) {
        return jobs.size() > MAX_NODES ? null : new RunGraph(jobs);
    }

    /** The longest path from a source to {@code id}; an input on a cycle back to {@code id} counts as a source. */
    private static int layer(String id, Map<String, Job> byId, Map<String, Integer> layers, Map<String, Boolean> onPath) {
        Integer known = layers.get(id);
        if (known != null) return known;
        Job j = byId.get(id);
        if (j == null || onPath.containsKey(id)) return -1;
        onPath.put(id, true);
        int l = 0;
        for (String in : j.inputs()) l = Math.max(l, layer(in, byId, layers, onPath) + 1);
        onPath.remove(id);
        layers.put(id, l);
        return l;
    }

    private static double meanInputPosition(Job job, Map<String, Double> position) {
        double sum = 0;
        int n = 0;
        for (String in : job.inputs()) {
            Double p = position.get(in);
            if (p != null) {
                sum += p;
                n++;
            }
        }
        return n == 0 ? 0.5 : sum / n;
    }

    /** Every node, sources first within the first layer, each layer top to bottom. */
    List<Node> nodes() {
        List<Node> all = new ArrayList<>(nodes.values());
        all.sort(Comparator.comparingInt(Node::layer).thenComparingInt(Node::row));
        return all;
    }

    Node node(String id) {
        return nodes.get(id);
    }

    List<Edge> edges() {
        return edges;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** The graph as an inline SVG element, everything from the logs escaped. */
    String svg() {
        SvgWriter w = new SvgWriter();
        w.start("svg", "xmlns", "http://www.w3.org/2000/svg", "data-kind", "quire-graph", "id", "quire-graph",
                "width", width, "height", height, "viewBox", "0 0 " + width + " " + height, "role", "img",
                "aria-label", "job graph", "font-family", "sans-serif");
        w.start("defs").start("marker", "id", "quire-arrow", "viewBox", "0 0 8 8", "refX", "8", "refY", "4",
                "markerWidth", "7", "markerHeight", "7", "orient", "auto");
        w.empty("path", "d", "M0,0 L8,4 L0,8 z", "fill", "#8c959f").end().end();
        for (Edge e : edges) {
            double x1 = e.from().x() + e.from().w(), y1 = e.from().cy(), x2 = e.to().x(), y2 = e.to().cy();
            double mx = (x1 + x2) / 2;
            w.empty("path", "data-kind", "quire-edge", "data-from", e.from().id(), "data-to", e.to().id(),
                    "d", "M" + SvgWriter.num(x1) + "," + SvgWriter.num(y1) + " C" + SvgWriter.num(mx) + ","
                            + SvgWriter.num(y1) + " " + SvgWriter.num(mx) + "," + SvgWriter.num(y2) + " "
                            + SvgWriter.num(x2 - 1) + "," + SvgWriter.num(y2),
                    "fill", "none", "stroke", "#8c959f", "stroke-width", "1.5", "marker-end", "url(#quire-arrow)");
        }
        for (Node n : nodes()) {
            String state = n.state();
            w.start("g", "data-kind", n.source() ? "quire-node quire-source" : "quire-node quire-node-" + state,
                    "data-job", n.id(), "data-state", state);
            w.element("title", tooltip(n));
            w.empty("rect", "x", n.x(), "y", n.y(), "width", n.w(), "height", n.h(), "rx", n.source() ? 11.0 : 5.0,
                    "fill", StateColours.fill(state), "stroke", StateColours.stroke(state), "stroke-width", "1.5",
                    "stroke-dasharray", StateColours.dash(state));
            double cx = n.x() + n.w() / 2;
            if (n.source()) {
                w.element("text", Labels.shorten(n.id(), 16), "x", cx, "y", n.y() + 15, "text-anchor", "middle",
                        "font-size", "11", "fill", StateColours.stroke(state));
            } else {
                w.element("text", Labels.shorten(n.id(), LABEL_CHARS), "x", cx, "y", n.y() + 16,
                        "text-anchor", "middle", "font-size", "12", "font-weight", "bold", "fill", "#1f2328");
                String sub = n.job().duration() == null || n.job().duration().isEmpty() ? state
                        : state + " \u00b7 " + n.job().duration();
                w.element("text", sub, "x", cx, "y", n.y() + 31, "text-anchor", "middle", "font-size", "11",
                        "fill", StateColours.stroke(state));
            }
            w.end();
        }
        return w.toString();
    }

    private static String tooltip(Node n) {
        if (n.source()) return n.id() + " (source)";
        Job j = n.job();
        StringBuilder t = new StringBuilder(j.id()).append(": ").append(j.state());
        if (j.duration() != null && !j.duration().isEmpty()) t.append(", ").append(j.duration());
        if (!j.inputs().isEmpty()) t.append("\ninputs: ").append(String.join(", ", j.inputs()));
        if (j.reason() != null) t.append('\n').append(PageBudget.cut(j.reason(), 300));
        return t.toString();
    }
}
