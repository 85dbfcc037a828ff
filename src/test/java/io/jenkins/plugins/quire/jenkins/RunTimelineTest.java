package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The timeline's time axis, bars and sh blocks. */
class RunTimelineTest {
    private static final Instant T0 = Instant.parse("2026-11-29T20:00:00.000Z");

    private static Instant at(long ms) {
        return T0.plusMillis(ms);
    }

    private static ShSpan span(int n, String cmd, long from, Long to, Integer exit) {
        ShSpan s = new ShSpan(n);
        s.started(at(from), cmd);
        if (to != null) s.exited(at(to), exit, null, to - from);
        return s;
    }

    @Test
    void tickStepsAreRoundAndFewWhateverTheSpan() {
        assertEquals(1, RunTimeline.step(5));
        assertEquals(500, RunTimeline.step(3_600));
        assertEquals(1_000, RunTimeline.step(8_000));
        assertEquals(2_000, RunTimeline.step(9_000));
        assertEquals(60_000, RunTimeline.step(7 * 60_000));
        assertEquals(3_600_000, RunTimeline.step(6 * 3_600_000L));
        for (long span : new long[] {1, 7, 999, 12_345, 100_000, 3_599_999, 86_400_000L, 30L * 86_400_000}) {
            long n = span / RunTimeline.step(span);
            assertTrue(n <= RunTimeline.MAX_TICKS && (n >= 2 || span < 2), span + " ms gives " + n + " ticks");
        }
    }

    @Test
    void tickLabelsAreReadable() {
        assertEquals("0 s", RunTimeline.tickLabel(0));
        assertEquals("0.25 s", RunTimeline.tickLabel(250));
        assertEquals("2 s", RunTimeline.tickLabel(2_000));
        assertEquals("1 min", RunTimeline.tickLabel(60_000));
        assertEquals("1 min 30 s", RunTimeline.tickLabel(90_000));
        assertEquals("2 h", RunTimeline.tickLabel(7_200_000));
        assertEquals("1 h 15 min", RunTimeline.tickLabel(4_500_000));
    }

    @Test
    void overlappingJobsDrawOverlappingBarsWithTheirShBlocksInside() throws Exception {
        RunTimeline t = new RunTimeline(T0, at(4_000), List.of(
                new RunTimeline.Row("a", "succeeded", at(0), at(3_000), List.of(span(1, "make a", 100, 2_900L, 0)), 0),
                new RunTimeline.Row("b", "failed", at(1_000), at(4_000),
                        List.of(span(1, "make b", 1_100, 2_000L, 0), span(2, "test b", 2_000, 3_900L, 2)), 0)));
        assertEquals(List.of(0L, 500L, 1000L, 1500L, 2000L, 2500L, 3000L, 3500L, 4000L), t.ticks());
        Document d = Svg.parse(t.svg());
        List<Element> bars = Svg.elements(d, "rect", "quire-bar");
        assertEquals(2, bars.size());
        double ax = x(bars.get(0)), aw = w(bars.get(0)), bx = x(bars.get(1)), bw = w(bars.get(1));
        assertEquals(RunTimeline.LABEL_W, ax, 0.1);
        assertEquals(RunTimeline.AREA_W * 3 / 4.0, aw, 0.1);
        assertEquals(RunTimeline.LABEL_W + RunTimeline.AREA_W / 4.0, bx, 0.1);
        assertTrue(bx < ax + aw, "b starts before a ends: the bars overlap");
        assertEquals(StateColours.fill("failed"), bars.get(1).getAttribute("fill"));
        List<Element> spans = Svg.elements(d, "rect", "quire-span");
        assertEquals(3, spans.size());
        for (Element s : spans.subList(1, 3)) {
            assertTrue(x(s) >= bx && x(s) + w(s) <= bx + bw + 0.1, "sh block inside its job's bar");
        }
        assertEquals("quire-span quire-span-failed", spans.get(2).getAttribute("data-kind"));
        assertEquals("$ test b\nb sh 2: failed, 1.9 s", Svg.title(spans.get(2)));
        assertEquals("a: succeeded, 3.0 s, 1 sh", Svg.title(bars.get(0)));
        List<String> labels = Svg.elements(d, "text", "quire-tick").stream().map(Element::getTextContent).toList();
        assertEquals("0 s", labels.get(0));
        assertEquals("0.5 s", labels.get(1));
        assertEquals("4 s", labels.get(8));
    }

    @Test
    void runningJobReachesTheAxisEndAndPendingJobsHaveNoBar() throws Exception {
        RunTimeline t = new RunTimeline(T0, at(10_000), List.of(
                new RunTimeline.Row("run", "running", at(2_000), null, List.of(span(1, "sleep 60", 2_100, null, null)), 0),
                new RunTimeline.Row("wait", "pending", null, null, List.of(), 0)));
        Document d = Svg.parse(t.svg());
        Element bar = Svg.elements(d, "rect", "quire-bar").get(0);
        assertEquals(RunTimeline.LABEL_W + RunTimeline.AREA_W, x(bar) + w(bar), 0.1);
        assertTrue(Svg.title(bar).startsWith("run: running, running for 8.0 s"), Svg.title(bar));
        Element running = Svg.elements(d, "rect", "quire-span-running").get(0);
        assertEquals(RunTimeline.LABEL_W + RunTimeline.AREA_W, x(running) + w(running), 0.1);
        assertEquals(1, Svg.elements(d, "rect", "quire-bar").size(), "no bar for the pending job");
        Element pending = Svg.elements(d, "g", "quire-row-pending").get(0);
        assertTrue(pending.getTextContent().contains("pending"));
    }

    @Test
    void omittedShBlocksAreSaidInThePictureAndCommandsStayText() throws Exception {
        String cmd = "echo '<script>x</script>' \"&\" <img src=x onerror=alert(1)>";
        RunTimeline t = new RunTimeline(T0, at(1_000), List.of(
                new RunTimeline.Row("<b>job</b>", "succeeded", at(0), at(1_000), List.of(span(1, cmd, 0, 10L, 0)), 42)));
        Document d = Svg.parse(t.svg());
        assertEquals(0, d.getElementsByTagName("script").getLength() + d.getElementsByTagName("img").getLength()
                + d.getElementsByTagName("b").getLength());
        assertEquals("+42 sh not drawn", Svg.elements(d, "text", "quire-omitted").get(0).getTextContent());
        assertTrue(Svg.title(Svg.elements(d, "rect", "quire-span").get(0)).startsWith("$ " + cmd + "\n<b>job</b> sh 1"));
    }

    @Test
    void anAxisEndingBeforeItsStartIsEmptyNotNegative() {
        RunTimeline t = new RunTimeline(at(5_000), at(1_000), List.of());
        assertEquals(1, t.spanMs());
        assertEquals(List.of(0L, 1L), t.ticks());
    }

    private static double x(Element e) {
        return Double.parseDouble(e.getAttribute("x"));
    }

    private static double w(Element e) {
        return Double.parseDouble(e.getAttribute("width"));
    }
}
