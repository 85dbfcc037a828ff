package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.MarkupText;
import hudson.console.ConsoleAnnotator;
import hudson.model.FreeStyleBuild;
import io.jenkins.plugins.quire.log.LineKind;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The render side on Hudson's own {@link MarkupText}: constant markup, balanced per line, escaped text. */
class ConsoleAnnotatorTest {
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    /** One console line (with its {@code \n}, as Hudson passes it) rendered by a fresh annotator. */
    private static String html(String line) {
        MarkupText mt = new MarkupText(line);
        QuireConsoleAnnotator a = new QuireConsoleAnnotator();
        assertSame(a, a.annotate(FreeStyleBuild.class, mt), "the annotator stays in the chain");
        return mt.toString(true);
    }

    private static String html(LineKind kind, String text) {
        return html(QuireConsoleSink.render(kind, text));
    }

    /** The sample run as written to a build log, one element per line, {@code \n} included. */
    static List<String> sampleLogLines() {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        ConsoleSampleRun.feed(new QuireConsoleSink(new PrintStream(bo, true, StandardCharsets.UTF_8)));
        List<String> lines = new ArrayList<>();
        for (String l : bo.toString(StandardCharsets.UTF_8).split("(?<=\n)")) lines.add(l);
        return lines;
    }

    static List<String> constantTags() throws IllegalAccessException {
        List<String> tags = new ArrayList<>();
        for (Field f : ConsoleLineStyle.class.getDeclaredFields()) {
            if (f.getType() == String.class && Modifier.isStatic(f.getModifiers())
                    && Modifier.isFinal(f.getModifiers())) {
                f.setAccessible(true);
                tags.add((String) f.get(null));
            }
        }
        return tags;
    }

    @Test
    void everyTagInTheSampleIsOneOfTheConstantsAndNoOtherMarkupRemains() throws Exception {
        List<String> constants = constantTags();
        int tags = 0;
        for (String line : sampleLogLines()) {
            String h = html(line);
            Matcher m = TAG.matcher(h);
            while (m.find()) {
                assertTrue(constants.contains(m.group()), () -> "unexpected markup " + m.group() + " in " + h);
                tags++;
            }
            assertFalse(TAG.matcher(h).replaceAll("").contains("<"), h);
        }
        assertTrue(tags > 40, "the sample is marked up: " + tags);
    }

    @Test
    void markupIsBalancedWithinEachLine() {
        for (String line : sampleLogLines()) {
            String h = html(line);
            Deque<String> open = new ArrayDeque<>();
            Matcher m = TAG.matcher(h);
            while (m.find()) {
                String t = m.group();
                if (t.startsWith("</")) {
                    assertFalse(open.isEmpty(), "close without open: " + h);
                    assertEquals("</span>", t);
                    open.pop();
                } else {
                    assertTrue(t.startsWith("<span "), h);
                    open.push(t);
                }
            }
            assertTrue(open.isEmpty(), "unclosed in " + h);
            assertTrue(h.endsWith("\n") && !h.substring(h.lastIndexOf("</span>") + 1).contains("<"), h);
        }
    }

    @Test
    void payloadsInOutputCommandsStderrAndErrorsAreEscaped() {
        String[] payloads = {ConsoleSampleRun.SCRIPT_PAYLOAD, ConsoleSampleRun.IMG_PAYLOAD};
        for (String p : payloads) {
            for (LineKind k : LineKind.values()) {
                String h = html(k, "x " + p);
                assertFalse(h.contains("<script"), k + ": " + h);
                assertFalse(h.contains("<img"), k + ": " + h);
                assertTrue(h.contains(p.replace("&", "&amp;").replace("<", "&lt;")), k + ": " + h);
            }
        }
        String cmd = html(LineKind.CMD, "$ echo '" + ConsoleSampleRun.SCRIPT_PAYLOAD + "'");
        assertEquals("<span class=\"quire-m\" style=\"display:none\">\u2063\u2062</span>"
                + "<span class=\"quire-line quire-cmd\">$ echo '&lt;script>alert(1)&lt;/script>'</span>\n", cmd);
    }

    @Test
    void stdoutIsLeftUntouched() {
        assertEquals("plain &lt;b> line\n", html(LineKind.STDOUT, "plain <b> line"));
        assertEquals("\n", html(LineKind.STDOUT, ""));
    }

    @Test
    void stderrLinesGetTheStderrClass() {
        assertEquals("<span class=\"quire-m\" style=\"display:none\">\u2063\u200B</span>"
                + "<span class=\"quire-line quire-err\">! boom</span>\n", html(LineKind.STDERR, "! boom"));
    }

    @Test
    void forgedMarkersInStdoutAreShownIntactButNotStyled() {
        String h = html(LineKind.STDOUT, ConsoleSampleRun.FORGED_STDERR_MARKER);
        assertEquals("<span class=\"quire-m\" style=\"display:none\">\u2063\u2063</span>\u2063\u200B! forged stderr\n", h);
        assertFalse(h.contains("quire-err"));
        assertFalse(html(LineKind.STDOUT, "\u2063\u2061==> job evil").contains("quire-job"));
        // without the sink the same bytes would be styled: the test can tell the difference
        assertTrue(html(ConsoleSampleRun.FORGED_STDERR_MARKER + "\n").contains("quire-err"));
    }

    @Test
    void exitLinesAreOkOnlyForExitZeroAndShowTheirDuration() {
        assertEquals("<span class=\"quire-m\" style=\"display:none\">\u2063\u2064</span>"
                + "<span class=\"quire-line quire-exit quire-ok\">exit 0 <span class=\"quire-time\">(12 ms)</span></span>\n",
                html(LineKind.EXIT, "exit 0 (12 ms)"));
        assertTrue(html(LineKind.EXIT, "exit 2 (12 ms)").contains("quire-exit quire-bad"));
        assertTrue(html(LineKind.EXIT, "exit 0 (12 ms), killed by SIGKILL").contains("quire-bad"));
        String killed = html(LineKind.EXIT, "killed by SIGTERM (5 ms)");
        assertTrue(killed.contains("quire-bad") && killed.contains("<span class=\"quire-time\">(5 ms)</span>"), killed);
    }

    @Test
    void jobEndsAreClassedByStateWithStateAndTimeSpans() {
        assertEquals("<span class=\"quire-m\" style=\"display:none\">\u2063\u2060</span>"
                + "<span class=\"quire-line quire-end quire-failed\">&lt;== job test "
                + "<span class=\"quire-state\">failed</span> <span class=\"quire-time\">(20 ms)</span>: "
                + "boom &lt;script></span>\n", html(LineKind.JOB_END, "<== job test failed (20 ms): boom <script>"));
        assertTrue(html(LineKind.JOB_END, "<== job a succeeded (1.2 s)").contains("quire-end quire-succeeded"));
        assertTrue(html(LineKind.JOB_END, "<== job a skipped (0 ms): upstream").contains("quire-end quire-skipped"));
        assertTrue(html(LineKind.JOB_END, "<== job a aborted (2 s): run aborted: x").contains("quire-end quire-aborted"));
        assertTrue(html(LineKind.SUMMARY, "  a  aborted  2 s  run aborted: x").contains("quire-sum quire-aborted"));
        assertTrue(html(LineKind.JOB_END, "<== job a exploded (0 ms)").contains("\"quire-line quire-end\""));
    }

    @Test
    void summaryRowsAreClassedByPart() {
        List<String> h = new ArrayList<>();
        for (String line : sampleLogLines()) if (line.startsWith("\u2063\u200C")) h.add(html(line));
        assertEquals(6, h.size(), String.join("", h));
        assertTrue(h.get(0).contains("quire-sum-head") && h.get(0).contains(">Summary:<"), h.get(0));
        assertTrue(h.get(1).contains("quire-sum-cols"), h.get(1));
        assertTrue(h.get(2).contains("quire-sum quire-succeeded") && h.get(2).contains("  build "), h.get(2));
        assertTrue(h.get(3).contains("quire-sum quire-failed") && h.get(3).contains("&lt;script>"), h.get(3));
        assertTrue(h.get(4).contains("quire-sum quire-skipped"), h.get(4));
        assertTrue(h.get(5).contains("quire-sum-result quire-bad") && h.get(5).contains("Result: FAILURE"), h.get(5));
    }

    @Test
    void headerCommandInfoAndErrorLinesGetTheirClasses() {
        assertTrue(html(LineKind.JOB_START, "==> job build").contains("\"quire-line quire-job\">==> job build</span>"));
        assertTrue(html(LineKind.CMD, "$ make").contains("\"quire-line quire-cmd\">$ make</span>"));
        assertTrue(html(LineKind.INFO, "container started: x").contains("\"quire-line quire-info\">"));
        assertTrue(html(LineKind.ERROR, "    at x").contains("\"quire-line quire-error\">    at x</span>"));
    }

    @Test
    void aMarkerOnlyLineAndUnknownTypesAreHandled() {
        assertEquals("<span class=\"quire-m\" style=\"display:none\">\u2063\u2061</span>\n", html("\u2063\u2061\n"));
        assertEquals("\u2063\u007Fx\n", html("\u2063\u007Fx\n"));
        assertEquals("\u2063\n", html("\u2063\n"));
        assertEquals("\u2063", html("\u2063"));
    }

    @Test
    void theAnnotatorSurvivesSerializationAndRendersTheSame() throws Exception {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ObjectOutputStream oo = new ObjectOutputStream(bo)) {
            oo.writeObject(new QuireConsoleAnnotator());
        }
        assertTrue(bo.size() < 200, "small enough for the X-ConsoleAnnotator header: " + bo.size());
        Object back;
        try (ObjectInputStream oi = new ObjectInputStream(new ByteArrayInputStream(bo.toByteArray()))) {
            back = oi.readObject();
        }
        String line = QuireConsoleSink.render(LineKind.STDERR, "! x");
        MarkupText mt = new MarkupText(line);
        ((QuireConsoleAnnotator) back).annotate(null, mt);
        assertEquals(html(line), mt.toString(true));
    }

    @Test
    void theFactoryIgnoresTheClassHudson1395PassesAndServesItsAdjuncts() throws IOException {
        QuireConsoleAnnotatorFactory f = new QuireConsoleAnnotatorFactory();
        ConsoleAnnotator a = f.newInstance(FreeStyleBuild.class);
        assertTrue(a instanceof QuireConsoleAnnotator);
        assertTrue(f.hasScript(), "script.js beside the factory");
        assertTrue(f.hasStylesheet(), "style.css beside the factory");
        String css = resource("style.css");
        for (String rule : css.replaceAll("/\\*[\\s\\S]*?\\*/", "").split("}")) {
            if (rule.isBlank()) continue;
            for (String sel : rule.substring(0, rule.indexOf('{')).split(",")) {
                assertTrue(sel.trim().startsWith(".quire-"), "scoped selector: " + sel);
            }
        }
        assertTrue(css.contains(".quire-m") && css.contains(".quire-err"));
        String js = resource("script.js");
        assertFalse(Pattern.compile("\\bon[a-z]+\\s*=").matcher(js).find(), "no inline handlers");
        assertFalse(js.contains("$$(") || js.contains("Ajax.") || js.contains("innerHTML"), "no Prototype, no innerHTML");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = QuireConsoleAnnotatorFactory.class.getResourceAsStream("QuireConsoleAnnotatorFactory/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
