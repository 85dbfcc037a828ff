package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Layout and drawing of the job graph: layers, order, states, escaping. */
class RunGraphTest {
    private static RunGraph.Job job(String id, String state, String... inputs) {
        return new RunGraph.Job(id, List.of(inputs), state, "1.2 s", null);
    }

    private static List<RunGraph.Job> diamond() {
        return List.of(job("a", "succeeded", "quire/push"), job("b", "failed", "a"), job("c", "succeeded", "a"),
                job("d", "skipped", "b", "c"));
    }

    @Test
    void diamondIsLaidOutInLayersByLongestPathFromTheSource() {
        RunGraph g = RunGraph.layout(diamond());
        assertEquals(0, g.node("quire/push").layer());
        assertTrue(g.node("quire/push").source());
        assertEquals(1, g.node("a").layer());
        assertEquals(2, g.node("b").layer());
        assertEquals(2, g.node("c").layer());
        assertEquals(3, g.node("d").layer());
        assertEquals(0, g.node("b").row(), "registration order breaks the tie");
        assertEquals(1, g.node("c").row());
        assertEquals(5, g.nodes().size());
        assertEquals(5, g.edges().size(), "push-a, a-b, a-c, b-d, c-d");
        for (RunGraph.Edge e : g.edges()) {
            assertTrue(e.from().x() + e.from().w() < e.to().x(), "every edge points right: " + e);
        }
        assertEquals(g.node("b").x(), g.node("c").x());
        assertTrue(g.node("b").y() < g.node("c").y());
        // a and d sit in the middle of the two-row column
        assertEquals(g.node("a").cy(), (g.node("b").cy() + g.node("c").cy()) / 2, 0.01);
        assertEquals(g.node("d").cy(), g.node("a").cy(), 0.01);
    }

    @Test
    void longestPathWinsOverAShortcut() {
        RunGraph g = RunGraph.layout(List.of(job("a", "succeeded", "quire/push"), job("b", "succeeded", "a"),
                job("c", "succeeded", "a", "b", "quire/push")));
        assertEquals(3, g.node("c").layer());
    }

    @Test
    void fanOutOfEightStacksEightNodesInOneLayerWithoutOverlap() {
        List<RunGraph.Job> jobs = new ArrayList<>(List.of(job("build", "succeeded", "quire/push")));
        for (int i = 1; i <= 8; i++) jobs.add(job("test-" + i, "succeeded", "build"));
        jobs.add(job("publish", "succeeded", "test-1", "test-2", "test-3", "test-4", "test-5", "test-6", "test-7",
                "test-8"));
        RunGraph g = RunGraph.layout(jobs);
        Set<Double> ys = new HashSet<>();
        for (int i = 1; i <= 8; i++) {
            RunGraph.Node n = g.node("test-" + i);
            assertEquals(2, n.layer());
            assertEquals(i - 1, n.row());
            assertTrue(ys.add(n.y()));
            if (i > 1) assertTrue(n.y() >= g.node("test-" + (i - 1)).y() + n.h(), "no overlap");
        }
        assertEquals(3, g.node("publish").layer());
        assertEquals(17, g.edges().size());
        assertTrue(g.height() >= 8 * RunGraph.JOB_H);
    }

    @Test
    void layoutIsDeterministic() {
        assertEquals(RunGraph.layout(diamond()).svg(), RunGraph.layout(diamond()).svg());
    }

    @Test
    void nodesAreColouredByStateAndSourcesAreDistinct() throws Exception {
        List<RunGraph.Job> jobs = List.of(job("ok", "succeeded", "quire/push"), job("bad", "failed", "quire/push"),
                job("skip", "skipped", "bad"), job("stop", "aborted", "quire/push"),
                job("run", "running", "quire/push"), new RunGraph.Job("wait", List.of("run"), "pending", "", null));
        Document d = Svg.parse(RunGraph.layout(jobs).svg());
        List<Element> nodes = Svg.elements(d, "g", "quire-node");
        assertEquals(7, nodes.size());
        Set<String> fills = new HashSet<>();
        for (Element n : nodes) {
            String state = n.getAttribute("data-state");
            Element rect = (Element) n.getElementsByTagName("rect").item(0);
            assertEquals(StateColours.fill(state), rect.getAttribute("fill"), state);
            assertEquals(StateColours.stroke(state), rect.getAttribute("stroke"), state);
            fills.add(rect.getAttribute("fill"));
            if (n.getAttribute("data-job").equals("quire/push")) {
                assertEquals("source", state);
                assertTrue(Double.parseDouble(rect.getAttribute("width")) < RunGraph.JOB_W, "a source is small");
            }
        }
        assertEquals(7, fills.size(), "seven states, seven colours: " + fills);
        Element pending = nodes.stream().filter(n -> n.getAttribute("data-job").equals("wait")).findFirst().get();
        assertEquals("4 3", ((Element) pending.getElementsByTagName("rect").item(0)).getAttribute("stroke-dasharray"));
        Element bad = nodes.stream().filter(n -> n.getAttribute("data-job").equals("bad")).findFirst().get();
        assertTrue(bad.getTextContent().contains("failed \u00b7 1.2 s"), bad.getTextContent());
    }

    @Test
    void idsAndReasonsFromTheLogStayText() throws Exception {
        String id = "<script>alert(\"&\")</script>";
        String reason = "ci.fnl:3: <img src=x onerror=alert(1)> & \"quoted\"";
        String svg = RunGraph.layout(List.of(new RunGraph.Job(id, List.of("quire/push"), "failed", "2 ms", reason),
                new RunGraph.Job("after", List.of(id), "skipped", "", null))).svg();
        Document d = Svg.parse(svg);
        assertEquals(0, d.getElementsByTagName("script").getLength());
        assertEquals(0, d.getElementsByTagName("img").getLength());
        Element node = Svg.elements(d, "g", "quire-node-failed").get(0);
        assertEquals(id, node.getAttribute("data-job"));
        assertTrue(Svg.title(node).startsWith(id + ": failed, 2 ms"), Svg.title(node));
        assertTrue(Svg.title(node).endsWith(reason), Svg.title(node));
        assertEquals(id, Svg.elements(d, "path", "quire-edge").get(1).getAttribute("data-from"));
    }

    @Test
    void oldLogsWithoutInputsDrawNodesWithoutEdges() {
        RunGraph g = RunGraph.layout(List.of(job("x", "succeeded"), job("y", "failed")));
        assertEquals(2, g.nodes().size());
        assertTrue(g.edges().isEmpty());
        assertEquals(0, g.node("y").layer());
        assertEquals(1, g.node("y").row());
    }

    @Test
    void aCycleInALogDoesNotLoop() {
        RunGraph g = RunGraph.layout(List.of(job("a", "succeeded", "quire/push", "b"), job("b", "succeeded", "a")));
        assertNotNull(g);
        assertTrue(g.node("b").layer() > g.node("a").layer() || g.node("a").layer() > g.node("b").layer());
    }

    @Test
    void tooManyJobsAreNotDrawn() {
        List<RunGraph.Job> jobs = new ArrayList<>();
        for (int i = 0; i <= RunGraph.MAX_NODES; i++) jobs.add(job("j" + i, "succeeded", "quire/push"));
        assertNull(RunGraph.layout(jobs));
    }
}
