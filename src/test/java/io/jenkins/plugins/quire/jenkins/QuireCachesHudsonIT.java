package io.jenkins.plugins.quire.jenkins;

import com.gargoylesoftware.htmlunit.HttpMethod;
import com.gargoylesoftware.htmlunit.Page;
import com.gargoylesoftware.htmlunit.WebRequestSettings;
import com.gargoylesoftware.htmlunit.html.HtmlElement;
import com.gargoylesoftware.htmlunit.html.HtmlForm;
import com.gargoylesoftware.htmlunit.html.HtmlPage;
import hudson.model.FreeStyleProject;
import hudson.model.Hudson;
import hudson.model.Item;
import hudson.security.GlobalMatrixAuthorizationStrategy;
import hudson.security.csrf.DefaultCrumbIssuer;
import hudson.slaves.EnvironmentVariablesNodeProperty;
import io.jenkins.plugins.quire.container.CacheVolume;
import io.jenkins.plugins.quire.container.DockerEngine;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.container.UnixSocketProxy;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A job's caches in a real Hudson 1.395 (test harness) with real builds in Docker: the build mounts them and says so,
 * the "Quire CI caches" page lists them with their sizes, "Clear" is a POST that needs the crumb and the configure permission, and
 * deleting the job removes its volumes. Jobs have random names; their volumes are removed in tearDown.
 */
public class QuireCachesHudsonIT extends LoopbackHudsonTestCase {
    private static final String CI = "(local ci (require :quire.ci))\n(ci.image \"quire-test:busybox\")\n"
            + "(ci.cache \"/cache/q\")\n(ci.cache \"/cache/r\")\n"
            + "(ci.job :w [:quire/push] (fn [{: sh}] (sh \"ls /cache/q; dd if=/dev/zero of=/cache/q/f bs=1024 count=1024\") {}))\n";
    private final String name = "quire-cache-test-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected void tearDown() throws Exception {
        try (DockerEngine e = DockerTestSupport.engine()) {
            for (CacheVolume v : e.cacheVolumes(null)) if (v.owner().endsWith(" " + name)) e.removeCacheVolume(v.volume());
        }
        super.tearDown();
    }

    private FreeStyleProject built() throws Exception {
        FreeStyleProject p = createFreeStyleProject(name);
        p.getBuildersList().add(new WriteWorkspaceFile(".quire/ci.fnl", CI));
        p.getBuildersList().add(new QuireBuilder("", "", "5", new ArrayList<>()));
        // the transient actions are made when a job is created, loaded or its configuration submitted, not when
        // builders are added from Java: make them again as for a job created with this configuration
        p.onCreatedFromScratch();
        String log = getLog(assertBuildStatusSuccess(p.scheduleBuild2(0).get(3, TimeUnit.MINUTES)));
        assertTrue(log, log.contains("cache /cache/q: new volume quire-cache-"));
        return p;
    }

    private List<String> paths() throws Exception {
        try (DockerEngine e = DockerTestSupport.engine()) {
            return e.cacheVolumes(BuildOptions.cacheOwner(name)).stream().map(CacheVolume::path).toList();
        }
    }

    private int post(WebClient wc, String path) throws Exception {
        wc.setThrowExceptionOnFailingStatusCode(false);
        wc.setRedirectEnabled(false);
        Page page = wc.getPage(new WebRequestSettings(new URL(getURL(), path), HttpMethod.POST));
        return page.getWebResponse().getStatusCode();
    }

    public void testThePageListsTheCachesAndClearNeedsAPostWithTheCrumbAndConfigure() throws Exception {
        FreeStyleProject p = built();
        hudson.model.FreeStyleBuild second = assertBuildStatusSuccess(p.scheduleBuild2(0).get(3, TimeUnit.MINUTES));
        String log = getLog(second);
        assertTrue(log, log.contains("cache /cache/q: reused volume quire-cache-"));
        String runPage = createWebClient().getPage(second, "quire/").asText();
        assertTrue(runPage, runPage.contains("/cache/q (reused volume quire-cache-"));
        assertTrue(runPage, runPage.contains("/cache/r (reused volume quire-cache-"));
        assertEquals(List.of("/cache/q", "/cache/r"), paths());

        hudson.setCrumbIssuer(new DefaultCrumbIssuer(false));
        hudson.setSecurityRealm(createDummySecurityRealm());
        GlobalMatrixAuthorizationStrategy auth = new GlobalMatrixAuthorizationStrategy();
        auth.add(Hudson.READ, "reader");
        auth.add(Item.READ, "reader");
        auth.add(Hudson.READ, "admin");
        auth.add(Item.READ, "admin");
        auth.add(Item.CONFIGURE, "admin");
        hudson.setAuthorizationStrategy(auth);

        WebClient admin = createWebClient();
        admin.setJavaScriptEnabled(false);
        admin.login("admin");
        HtmlPage page = admin.getPage(p, "quire-caches/");
        String text = page.asText();
        assertTrue(text, text.contains("Quire CI caches"));
        assertTrue(text, text.contains("/cache/q") && text.contains("/cache/r"));
        // the size column: /cache/q holds the 1 MiB file the builds wrote, /cache/r nothing
        List<?> sizes = page.getByXPath("//td[@class='quire-cache-size']");
        assertEquals(2, sizes.size());
        HtmlElement q = (HtmlElement) sizes.get(0);
        assertTrue(q.asText(), q.asText().matches("1\\.\\d MB"));
        assertTrue(q.getAttribute("data"), Long.parseLong(q.getAttribute("data")) >= 1024 * 1024);
        assertEquals("0 B", ((HtmlElement) sizes.get(1)).asText());

        admin.setThrowExceptionOnFailingStatusCode(false);
        assertEquals("a GET does not clear", 405, admin.getPage(new URL(getURL(), p.getUrl() + "quire-caches/clear"))
                .getWebResponse().getStatusCode());
        assertEquals("a POST without the crumb is refused", 403, post(admin, p.getUrl() + "quire-caches/clear"));
        assertEquals(List.of("/cache/q", "/cache/r"), paths());

        WebClient reader = createWebClient();
        reader.setJavaScriptEnabled(false);
        reader.login("reader");
        HtmlPage readerPage = reader.getPage(p, "quire-caches/");
        reader.setThrowExceptionOnFailingStatusCode(false);
        Page refused = ((HtmlForm) readerPage.getFormByName("clear-all")).submit(null);
        assertEquals("a reader may not clear", 403, refused.getWebResponse().getStatusCode());
        assertEquals(List.of("/cache/q", "/cache/r"), paths());

        HtmlForm one = page.getFormByName("clear-one"); // the first row: /cache/q
        admin.setThrowExceptionOnFailingStatusCode(true);
        admin.setRedirectEnabled(true);
        HtmlPage after = (HtmlPage) one.submit(null);
        assertEquals(List.of("/cache/r"), paths());
        assertFalse(after.asText(), after.asText().contains("/cache/q"));
        ((HtmlForm) after.getFormByName("clear-all")).submit(null);
        assertEquals(List.of(), paths());
    }

    public void testDeletingTheJobRemovesItsVolumes() throws Exception {
        FreeStyleProject p = built();
        assertEquals(2, paths().size());
        p.delete();
        assertEquals(List.of(), paths());
    }

    /**
     * The page asks the engine the build used, which a node property may have set (DOCKER_HOST), even once the
     * property is gone: the build records its engine, the page does not work it out again from a finished build.
     */
    public void testThePageAsksTheEngineTheLastBuildUsed() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("quire-caches-engine");
        try (UnixSocketProxy relay = new UnixSocketProxy(dir.resolve("docker.sock"), java.nio.file.Path.of("/var/run/docker.sock"))) {
            EnvironmentVariablesNodeProperty viaRelay = new EnvironmentVariablesNodeProperty(
                    new EnvironmentVariablesNodeProperty.Entry("DOCKER_HOST", relay.dockerHost()));
            hudson.getGlobalNodeProperties().add(viaRelay);
            FreeStyleProject p = built();
            assertTrue("the build went through the relay", relay.connections() > 0);
            hudson.getGlobalNodeProperties().remove(viaRelay);
            int before = relay.connections();
            WebClient wc = createWebClient();
            wc.setJavaScriptEnabled(false);
            String text = wc.getPage(p, "quire-caches/").asText();
            assertTrue(text, text.contains("/cache/q") && text.contains("/cache/r"));
            assertTrue("the page asked the build's engine (through the relay)", relay.connections() > before);
        } finally {
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path f : files.toList()) java.nio.file.Files.deleteIfExists(f);
            }
            java.nio.file.Files.deleteIfExists(dir);
        }
    }
}
