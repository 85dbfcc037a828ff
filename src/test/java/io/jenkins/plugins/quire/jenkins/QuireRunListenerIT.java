package io.jenkins.plugins.quire.jenkins;

import com.gargoylesoftware.htmlunit.FailingHttpStatusCodeException;
import com.gargoylesoftware.htmlunit.html.HtmlPage;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.tasks.ArtifactArchiver;
import hudson.tasks.Shell;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Jenkinsfile / "Execute shell" path: a build that runs the command-line runner itself (here: a shell step
 * that copies fixture logs into {@code quire/}) and archives {@code quire/**} gets the Quire CI page from
 * {@link QuireRunListener}; a build without those artifacts does not; the page survives a reload from disk.
 */
public class QuireRunListenerIT extends LoopbackHudsonTestCase {

    private FreeStyleProject shellProjectArchivingQuireLogs(String name) throws Exception {
        Path fixture = Files.createTempDirectory(new File(System.getProperty("java.io.tmpdir")).toPath(), "quire-fixture");
        QuireRunFixtures.writeFinishedRun(fixture.resolve("quire"));
        FreeStyleProject p = createFreeStyleProject(name);
        p.getBuildersList().add(new Shell("rm -rf quire && cp -R '" + fixture.resolve("quire") + "' quire"));
        p.getPublishersList().add(new ArtifactArchiver("quire/**", "", false));
        return p;
    }

    private WebClient client() {
        WebClient wc = createWebClient();
        wc.setJavaScriptEnabled(false);
        return wc;
    }

    public void testShellBuildThatArchivesQuireLogsGetsThePage() throws Exception {
        FreeStyleProject p = shellProjectArchivingQuireLogs("jenkinsfile-like");
        FreeStyleBuild b = assertBuildStatusSuccess(p.scheduleBuild2(0).get());
        assertTrue(new File(b.getArtifactsDir(), "quire/jobs/test/log.jsonl").isFile());
        assertEquals(1, b.getActions(QuireRunAction.class).size());
        String buildXml = new String(Files.readAllBytes(new File(b.getRootDir(), "build.xml").toPath()), StandardCharsets.UTF_8);
        assertTrue("the action is saved with the build", buildXml.contains(QuireRunAction.class.getName()));

        HtmlPage page = client().getPage(b, "quire/");
        assertEquals("failure", QuireRunActionPageIT.text(page, "quire-run-status"));
        assertEquals(3, page.getByXPath("//div[starts-with(@id,'job-')]").size());
        // the side panel of the build links to the page
        HtmlPage main = client().getPage(b);
        assertFalse(main.getByXPath("//a[contains(@href,'quire')]").isEmpty());
    }

    public void testBuildWithoutQuireLogsGetsNoPage() throws Exception {
        FreeStyleProject p = createFreeStyleProject("plain");
        p.getBuildersList().add(new Shell("mkdir -p out && echo hi > out/x.txt"));
        p.getPublishersList().add(new ArtifactArchiver("out/**", "", false));
        FreeStyleBuild b = assertBuildStatusSuccess(p.scheduleBuild2(0).get());
        assertNull(b.getAction(QuireRunAction.class));
        try {
            client().getPage(b, "quire/");
            fail("no Quire CI page without quire logs");
        } catch (FailingHttpStatusCodeException e) {
            assertEquals(404, e.getStatusCode());
        }
    }

    public void testAttachToIsIdempotentWithTheListener() throws Exception {
        FreeStyleProject p = createFreeStyleProject("both");
        p.getBuildersList().add(new QuireFixtureBuilder(QuireFixtureBuilder.Fixture.FINISHED));
        FreeStyleBuild b = assertBuildStatusSuccess(p.scheduleBuild2(0).get());
        QuireRunAction first = b.getAction(QuireRunAction.class);
        assertSame(first, QuireRunAction.attachTo(b));
        assertEquals("builder + listener + second attachTo = one action", 1, b.getActions(QuireRunAction.class).size());
        assertSame(b, first.getOwner());
    }

    public void testPageStillWorksAfterReloadingFromDisk() throws Exception {
        FreeStyleProject p = shellProjectArchivingQuireLogs("reloaded");
        assertBuildStatusSuccess(p.scheduleBuild2(0).get());
        hudson.reload();
        FreeStyleProject p2 = (FreeStyleProject) hudson.getItem("reloaded");
        FreeStyleBuild b2 = p2.getBuildByNumber(1);
        QuireRunAction loaded = b2.getAction(QuireRunAction.class);
        assertNotNull("action loaded from build.xml", loaded);
        HtmlPage page = client().getPage(b2, "quire/");
        assertEquals("failure", QuireRunActionPageIT.text(page, "quire-run-status"));
        assertEquals("ci.fnl:12: tests failed " + QuireRunFixtures.SCRIPT_PAYLOAD,
                QuireRunActionPageIT.job(page, "test").asText().replaceAll("(?s).*Error: ", "").replaceAll("(?s)\\n.*", "").trim());
    }
}
