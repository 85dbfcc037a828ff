package io.jenkins.plugins.quire.jenkins;

import com.gargoylesoftware.htmlunit.Page;
import com.gargoylesoftware.htmlunit.RefreshHandler;
import com.gargoylesoftware.htmlunit.html.DomNode;
import com.gargoylesoftware.htmlunit.html.HtmlElement;
import com.gargoylesoftware.htmlunit.html.HtmlPage;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The Quire CI page rendered by Hudson 1.395 (HtmlUnit, JavaScript off) from fixture logs written into a build's
 * artifacts by {@link QuireFixtureBuilder}: jobs, states, reasons, outputs, sh blocks, links, escaping, the
 * in-progress case with a torn last line.
 */
public class QuireRunActionPageIT extends LoopbackHudsonTestCase {

    private FreeStyleBuild build(QuireFixtureBuilder.Fixture f) throws Exception {
        FreeStyleProject p = createFreeStyleProject("quire-page");
        p.getBuildersList().add(new QuireFixtureBuilder(f));
        return assertBuildStatusSuccess(p.scheduleBuild2(0).get());
    }

    private WebClient client() {
        WebClient wc = createWebClient();
        wc.setJavaScriptEnabled(false);
        wc.setRefreshHandler(new NoRefresh()); // the page's <meta refresh> is checked, not followed
        return wc;
    }

    public void testFinishedRunShowsStatusJobsReasonsOutputsAndShBlocks() throws Exception {
        FreeStyleBuild b = build(QuireFixtureBuilder.Fixture.FINISHED);
        assertEquals(1, b.getActions(QuireRunAction.class).size());
        HtmlPage page = client().getPage(b, "quire/");
        assertEquals("failure", text(page, "quire-run-status"));
        assertEquals("3.6 s", text(page, "quire-run-duration"));
        assertEquals("debian:bookworm", text(page, "quire-image"));
        assertEquals("1 succeeded, 1 failed, 1 skipped", text(page, "quire-job-summary"));
        assertNull("no death reason", page.getElementById("quire-death"));

        List<?> jobs = page.getByXPath("//div[starts-with(@id,'job-')]");
        assertEquals(3, jobs.size());
        assertEquals("job-build", ((HtmlElement) jobs.get(0)).getAttribute("id"));
        assertEquals("job-test", ((HtmlElement) jobs.get(1)).getAttribute("id"));
        assertEquals("job-deploy", ((HtmlElement) jobs.get(2)).getAttribute("id"));
        assertTrue(job(page, "build").getAttribute("class").contains("quire-job-succeeded"));
        assertTrue(job(page, "test").getAttribute("class").contains("quire-job-failed"));
        assertTrue(job(page, "deploy").getAttribute("class").contains("quire-job-skipped"));

        String build = job(page, "build").asText();
        assertTrue(build, build.contains("1.2 s"));
        String outputs = first(job(page, "build"), ".//pre[@class='quire-json']").getTextContent();
        assertTrue(outputs, outputs.contains("\"tested\" : \"abc123\""));
        assertTrue(outputs, outputs.contains("\"list\" : [ 1, 2 ]"));
        assertTrue(job(page, "deploy").asText().contains("Skipped: upstream 'test' failed"));
        assertTrue(job(page, "test").asText().contains("Error: ci.fnl:12: tests failed"));

        // sh blocks: command, result, duration, stdout and stderr as separate coloured spans, collapsible
        List<?> sh = job(page, "build").getByXPath(".//details[contains(@class,'quire-sh')]");
        assertEquals(2, sh.size());
        HtmlElement make = (HtmlElement) sh.get(0);
        assertEquals("make build", first(make, ".//code[@class='quire-cmd']").getTextContent());
        assertEquals("exit 0", first(make, ".//span[contains(@class,'quire-exit')]").getTextContent());
        assertEquals("800 ms", first(make, ".//span[@class='quire-duration']").getTextContent());
        assertEquals("warning: unused\n", first(make, ".//span[@class='quire-stderr']").getTextContent());
        assertEquals(2, make.getByXPath(".//span[@class='quire-stdout']").size());
        assertFalse("succeeded job's ok blocks start collapsed", make.hasAttribute("open"));
        List<?> testSh = job(page, "test").getByXPath(".//details[contains(@class,'quire-sh')]");
        HtmlElement killed = (HtmlElement) testSh.get(1);
        assertTrue("failed blocks start open", killed.hasAttribute("open"));
        assertEquals("exit 137, signal KILL", first(killed, ".//span[contains(@class,'quire-exit')]").getTextContent());

        // not refreshing once the build is over
        assertTrue(page.getByXPath("//meta[@http-equiv='refresh']").isEmpty());
        // side panel of the build is there (link back to the console)
        assertFalse(page.getByXPath("//a[contains(@href,'console')]").isEmpty());
    }

    public void testCutOutputSaysHowMuchWasCutAndLinksTheArtifactLog() throws Exception {
        FreeStyleBuild b = build(QuireFixtureBuilder.Fixture.LARGE_OUTPUT);
        HtmlPage page = client().getPage(b, "quire/");
        List<?> sh = job(page, "big").getByXPath(".//details[contains(@class,'quire-sh')]");
        assertEquals(2, sh.size());
        HtmlElement first = (HtmlElement) sh.get(0);
        HtmlElement note = first(first, ".//p[contains(@class,'quire-cut')]");
        String text = note.asText();
        assertTrue(text, text.contains("458.0 KiB of output cut here (468944 characters); see the artifact log.jsonl"));
        HtmlElement link = first(note, ".//a[@class='quire-cut-log']");
        assertTrue(link.getAttribute("href"), link.getAttribute("href").endsWith("/artifact/quire/jobs/big/log.jsonl"));
        assertEquals(200, client().getPage(new URL(page.getWebResponse().getUrl(), link.getAttribute("href")))
                .getWebResponse().getStatusCode());
        // the head before the note, the tail (ending with the last line) after it
        List<?> pres = first.getByXPath(".//pre[@class='quire-output']");
        assertEquals(2, pres.size());
        assertEquals(ShBlockView.HEAD_CHARS, ((HtmlElement) pres.get(0)).getTextContent().length());
        assertTrue(((HtmlElement) pres.get(1)).getTextContent().endsWith("END 1\n"));
        assertNull("this page is within its budget", page.getElementById("quire-page-cut"));
    }

    public void testRawAndArtifactLinksServeTheJsonlFiles() throws Exception {
        FreeStyleBuild b = build(QuireFixtureBuilder.Fixture.FINISHED);
        WebClient wc = client();
        HtmlPage page = wc.getPage(b, "quire/");
        Path logs = new File(b.getArtifactsDir(), "quire").toPath();
        String runLog = Files.readString(logs.resolve("log.jsonl"), StandardCharsets.UTF_8);
        String testLog = Files.readString(logs.resolve("jobs/test/log.jsonl"), StandardCharsets.UTF_8);

        Page raw = ((HtmlElement) page.getElementById("quire-raw-run")).click();
        assertEquals(runLog, raw.getWebResponse().getContentAsString("UTF-8"));
        assertTrue(raw.getWebResponse().getContentType().startsWith("text/plain"));
        Page artifact = ((HtmlElement) page.getElementById("quire-artifact-run")).click();
        assertEquals(runLog, artifact.getWebResponse().getContentAsString("UTF-8"));

        HtmlElement testJob = job(page, "test");
        Page jobRaw = first(testJob, ".//a[@class='quire-raw-job']").click();
        assertEquals(testLog, jobRaw.getWebResponse().getContentAsString("UTF-8"));
        Page jobArtifact = first(testJob, ".//a[@class='quire-artifact-job']").click();
        assertEquals(testLog, jobArtifact.getWebResponse().getContentAsString("UTF-8"));
        assertEquals("build and test have logs, skipped deploy has none", 2,
                page.getByXPath("//a[@class='quire-raw-job']").size());

        // the same links work from the URL without the trailing slash
        HtmlPage noSlash = wc.getPage(b, "quire");
        Page again = ((HtmlElement) noSlash.getElementById("quire-raw-run")).click();
        assertEquals(runLog, again.getWebResponse().getContentAsString("UTF-8"));
    }

    public void testPayloadsFromLogsAreEscaped() throws Exception {
        FreeStyleBuild b = build(QuireFixtureBuilder.Fixture.FINISHED);
        HtmlPage page = client().getPage(b, "quire/");
        String html = page.getWebResponse().getContentAsString();
        assertFalse(html, html.contains(QuireRunFixtures.SCRIPT_PAYLOAD));
        assertFalse(html, html.contains("<img src=x"));
        assertTrue(html, html.contains("&lt;script&gt;alert(") || html.contains("&lt;script>alert("));
        for (Object o : page.getByXPath("//script")) {
            assertFalse("no script from the logs", ((DomNode) o).getTextContent().contains("alert('quire')"));
        }
        assertTrue("no <img onerror>", page.getByXPath("//img[@onerror]").isEmpty());
        assertTrue("no element carries an on* attribute from the logs",
                page.getByXPath("//*[@onerror or contains(@href,'alert')]").isEmpty());
        // the payloads are shown as text, intact
        HtmlElement test = job(page, "test");
        assertEquals("echo " + QuireRunFixtures.SCRIPT_PAYLOAD, first(test, ".//code[@class='quire-cmd']").getTextContent());
        assertEquals(QuireRunFixtures.SCRIPT_PAYLOAD + "\n", first(test, ".//span[@class='quire-stdout']").getTextContent());
        assertEquals(QuireRunFixtures.IMG_PAYLOAD + "\n", first(test, ".//span[@class='quire-stderr']").getTextContent());
        assertTrue(test.asText().contains("tests failed " + QuireRunFixtures.SCRIPT_PAYLOAD));
        String outputs = first(job(page, "build"), ".//pre[@class='quire-json']").getTextContent();
        assertTrue(outputs, outputs.contains("\\\"><img src=x onerror=alert(1)>"));
        // the build's main page row is escaped too and links to the page
        HtmlPage main = client().getPage(b);
        assertEquals("failure", text(main, "quire-summary-status"));
        assertEquals("(1 succeeded, 1 failed, 1 skipped)", text(main, "quire-summary-jobs"));
        assertFalse(main.getByXPath("//a[@href='quire/']").isEmpty());
    }

    public void testPayloadsInJobIdImageAndDeathReasonAreEscaped() throws Exception {
        FreeStyleBuild b = build(QuireFixtureBuilder.Fixture.PAYLOAD_ID);
        HtmlPage page = client().getPage(b, "quire/");
        String html = page.getWebResponse().getContentAsString();
        assertFalse(html, html.contains("<img src=x"));
        assertFalse(html, html.contains(QuireRunFixtures.SCRIPT_PAYLOAD));
        assertTrue(page.getByXPath("//img[@onerror]").isEmpty());
        assertEquals(QuireRunFixtures.IMG_PAYLOAD, text(page, "quire-image"));
        assertEquals(QuireRunFixtures.SCRIPT_PAYLOAD, text(page, "quire-death"));
        HtmlElement job = job(page, QuireRunFixtures.IMG_PAYLOAD);
        assertEquals(QuireRunFixtures.IMG_PAYLOAD, first(job, ".//span[@class='quire-job-id']").getTextContent());
        assertTrue(job.asText().contains("Skipped: " + QuireRunFixtures.SCRIPT_PAYLOAD));
        assertTrue("no raw link for an id that is not path-safe", job.getByXPath(".//a[@class='quire-raw-job']").isEmpty());
    }

    public void testContainerDeathReasonIsShown() throws Exception {
        FreeStyleBuild b = build(QuireFixtureBuilder.Fixture.CONTAINER_DIED);
        HtmlPage page = client().getPage(b, "quire/");
        assertEquals("container-died", text(page, "quire-run-status"));
        assertEquals("OOMKilled", text(page, "quire-death"));
        assertTrue(job(page, "a").asText().contains("container died: OOMKilled"));
        assertTrue(job(page, "b").asText().contains("Skipped: upstream 'a' failed"));
    }

    public void testRunningBuildRefreshesShowsNewEventsOnReloadAndIgnoresTornLines() throws Exception {
        QuireFixtureBuilder.resetLatches();
        FreeStyleProject p = createFreeStyleProject("quire-running");
        p.getBuildersList().add(new QuireFixtureBuilder(QuireFixtureBuilder.Fixture.RUNNING));
        Future<FreeStyleBuild> f = p.scheduleBuild2(0);
        try {
            assertTrue("builder started", QuireFixtureBuilder.started.await(60, TimeUnit.SECONDS));
            FreeStyleBuild b = p.getBuildByNumber(1);
            assertTrue(b.isBuilding());
            WebClient wc = client();
            HtmlPage page = wc.getPage(b, "quire/");
            assertEquals("running", text(page, "quire-run-status"));
            assertEquals(1, page.getByXPath("//head/meta[@http-equiv='refresh']").size());
            assertEquals("succeeded", job(page, "a").getAttribute("class").replaceAll(".*quire-job-", ""));
            HtmlElement jobB = job(page, "b");
            assertTrue(jobB.getAttribute("class").contains("quire-job-running"));
            HtmlElement sh = first(jobB, ".//details[contains(@class,'quire-sh')]");
            assertTrue("a running job's blocks are open", sh.hasAttribute("open"));
            assertEquals("running", first(sh, ".//span[contains(@class,'quire-exit')]").getTextContent());
            assertEquals("step 1 of 3\n", first(sh, ".//pre[@class='quire-output']").getTextContent());
            assertTrue("no problem reported for the torn lines", page.getByXPath("//*[contains(@class,'quire-problem')]").isEmpty());

            QuireFixtureBuilder.proceed.countDown();
            assertTrue(QuireFixtureBuilder.finished.await(60, TimeUnit.SECONDS));
            page = wc.getPage(b, "quire/");
            assertEquals("success", text(page, "quire-run-status"));
            sh = first(job(page, "b"), ".//details[contains(@class,'quire-sh')]");
            assertEquals("step 1 of 3\nstep 2 of 3\n", first(sh, ".//pre[@class='quire-output']").getTextContent());
            assertEquals("exit 0", first(sh, ".//span[contains(@class,'quire-exit')]").getTextContent());
        } finally {
            QuireFixtureBuilder.proceed.countDown();
            QuireFixtureBuilder.release.countDown();
        }
        FreeStyleBuild b = assertBuildStatusSuccess(f.get(60, TimeUnit.SECONDS));
        HtmlPage done = client().getPage(b, "quire/");
        assertTrue("no refresh after the build", done.getByXPath("//meta[@http-equiv='refresh']").isEmpty());
    }

    public void testBuildWithoutLogsShowsAPlaceholder() throws Exception {
        FreeStyleBuild b = build(QuireFixtureBuilder.Fixture.NONE);
        HtmlPage page = client().getPage(b, "quire/");
        assertNotNull(page.getElementById("quire-no-log"));
    }

    /** Leaves a {@code <meta http-equiv=refresh>} alone (HtmlUnit's default refuses it with an exception). */
    static final class NoRefresh implements RefreshHandler {
        @Override
        public void handleRefresh(Page page, URL url, int seconds) {}
    }

    static String text(HtmlPage page, String id) {
        HtmlElement e = (HtmlElement) page.getElementById(id);
        assertNotNull("element #" + id, e);
        return e.getTextContent().trim();
    }

    static HtmlElement job(HtmlPage page, String id) {
        HtmlElement e = (HtmlElement) page.getElementById("job-" + id);
        assertNotNull("job " + id, e);
        return e;
    }

    static HtmlElement first(DomNode node, String xpath) {
        Object o = node.getFirstByXPath(xpath);
        assertNotNull(xpath, o);
        return (HtmlElement) o;
    }
}
