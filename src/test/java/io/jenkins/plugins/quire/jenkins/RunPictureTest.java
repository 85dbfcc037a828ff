package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The page's pictures drawn from JSONL logs read by {@link RunView}. */
class RunPictureTest {
    @TempDir
    Path logs;

    private static Map<String, String> states(Document d, String tag, String cls) {
        Map<String, String> m = new TreeMap<>();
        for (Element e : Svg.elements(d, tag, cls)) m.put(e.getAttribute("data-job"), e.getAttribute("data-state"));
        return m;
    }

    @Test
    void finishedDiamondDrawsItsGraphFromThePipelineEventWithStates() throws Exception {
        QuireRunFixtures.writeDiamondRun(logs, true);
        RunView v = RunView.read(logs, false);
        assertEquals(4, v.getParallel());
        Document g = Svg.parse(v.getGraphSvg());
        assertEquals(Map.of("quire/push", "source", "a", "succeeded", "b", "failed", "c", "succeeded", "d", "skipped"),
                states(g, "g", "quire-node"));
        assertEquals(5, Svg.elements(g, "path", "quire-edge").size());
        assertNull(v.getPictureNote());
    }

    @Test
    void finishedDiamondTimelineShowsBAndCOverlapping() throws Exception {
        QuireRunFixtures.writeDiamondRun(logs, true);
        Document t = Svg.parse(RunView.read(logs, false).getTimelineSvg());
        List<Element> bars = Svg.elements(t, "rect", "quire-bar");
        assertEquals(3, bars.size(), "a, b, c ran; d was skipped; the source quire/push has no row");
        assertEquals(4, Svg.elements(t, "g", "quire-row").size());
        Element b = bars.get(1), c = bars.get(2);
        double bEnd = Double.parseDouble(b.getAttribute("x")) + Double.parseDouble(b.getAttribute("width"));
        assertTrue(Double.parseDouble(c.getAttribute("x")) < bEnd, "c started before b ended");
        // the axis runs from the pipeline event (0 s) to run-end (7 s)
        List<String> ticks = Svg.elements(t, "text", "quire-tick").stream().map(Element::getTextContent).toList();
        assertEquals("0 s", ticks.get(0));
        assertEquals("7 s", ticks.get(ticks.size() - 1));
        assertEquals(3, Svg.elements(t, "rect", "quire-span").size());
        assertTrue(Svg.title(Svg.elements(t, "rect", "quire-span").get(1)).startsWith("$ echo " + QuireRunFixtures.SCRIPT_PAYLOAD));
        assertEquals(0, t.getElementsByTagName("script").getLength());
    }

    @Test
    void runningRunShowsRunningAndPendingJobsUpToNow() throws Exception {
        QuireRunFixtures.writeDiamondRun(logs, false);
        RunView v = RunView.read(logs, true);
        assertEquals(Map.of("quire/push", "source", "a", "succeeded", "b", "running", "c", "running", "d", "pending"),
                states(Svg.parse(v.getGraphSvg()), "g", "quire-node"));
        Instant now = Instant.parse("2026-11-29T20:00:10.000Z");
        Document t = Svg.parse(RunPicture.timeline(v, now).svg());
        List<String> ticks = Svg.elements(t, "text", "quire-tick").stream().map(Element::getTextContent).toList();
        assertEquals("10 s", ticks.get(ticks.size() - 1), "the axis ends now: " + ticks);
        Element running = Svg.elements(t, "rect", "quire-span-running").get(0);
        assertEquals(RunTimeline.LABEL_W + RunTimeline.AREA_W,
                Double.parseDouble(running.getAttribute("x")) + Double.parseDouble(running.getAttribute("width")), 0.1);
        assertEquals("pending", states(t, "g", "quire-row").get("d"));
    }

    @Test
    void logWithoutPipelineEventDrawsNodesWithoutEdges() throws Exception {
        QuireRunFixtures.writeFinishedRun(logs);
        RunView v = RunView.read(logs, false);
        assertNull(v.getPipeline());
        Document g = Svg.parse(v.getGraphSvg());
        assertEquals(Map.of("build", "succeeded", "test", "failed", "deploy", "skipped"), states(g, "g", "quire-node"));
        assertTrue(Svg.elements(g, "path", "quire-edge").isEmpty());
        assertNotNull(v.getTimelineSvg());
    }

    @Test
    void shBlocksOnTheTimelineAreCappedPerJobAndTheCapIsSaid() throws Exception {
        int blocks = PageBudget.SPANS_PER_JOB + 7;
        QuireRunFixtures.writeLargeOutputRun(logs, blocks, 0);
        RunView v = RunView.read(logs, false);
        JobView big = v.getJobs().get(0);
        assertEquals(PageBudget.SPANS_PER_JOB, big.getShSpans().size());
        assertEquals(7, big.getOmittedSpans());
        Document t = Svg.parse(v.getTimelineSvg());
        assertEquals(PageBudget.SPANS_PER_JOB, Svg.elements(t, "rect", "quire-span").size());
        assertEquals("+7 sh not drawn", Svg.elements(t, "text", "quire-omitted").get(0).getTextContent());
    }

    /** Hudson 1.395's behavior.js calls className.match on every element; an SVG className is no string. */
    @Test
    void noSvgElementCarriesAClassAttribute() throws Exception {
        QuireRunFixtures.writeDiamondRun(logs, false);
        RunView v = RunView.read(logs, true);
        for (String svg : List.of(v.getGraphSvg(), v.getTimelineSvg())) {
            org.w3c.dom.NodeList all = Svg.parse(svg).getElementsByTagName("*");
            assertTrue(all.getLength() > 10);
            for (int i = 0; i < all.getLength(); i++) {
                assertFalse(((Element) all.item(i)).hasAttribute("class"), all.item(i).getNodeName());
            }
        }
    }

    @Test
    void absentLogDrawsNothing() {
        RunView v = RunView.read(logs, false);
        assertNull(v.getGraphSvg());
        assertNull(v.getTimelineSvg());
    }
}
