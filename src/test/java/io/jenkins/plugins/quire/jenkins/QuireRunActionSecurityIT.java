package io.jenkins.plugins.quire.jenkins;

import com.gargoylesoftware.htmlunit.FailingHttpStatusCodeException;
import com.gargoylesoftware.htmlunit.Page;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Hudson;
import hudson.model.Item;
import hudson.security.GlobalMatrixAuthorizationStrategy;
import hudson.security.SecurityRealm;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.acegisecurity.AccessDeniedException;
import org.acegisecurity.GrantedAuthority;
import org.acegisecurity.context.SecurityContextHolder;
import org.acegisecurity.providers.UsernamePasswordAuthenticationToken;

/**
 * The Quire CI page and its raw files need read permission on the job, and the raw endpoint never serves a file
 * outside the build's {@code quire/} folder ({@code ..}, {@code %2e%2e}, absolute paths, symlinks).
 */
public class QuireRunActionSecurityIT extends LoopbackHudsonTestCase {

    private FreeStyleBuild finishedBuild() throws Exception {
        FreeStyleProject p = createFreeStyleProject("secured");
        p.getBuildersList().add(new QuireFixtureBuilder(QuireFixtureBuilder.Fixture.FINISHED));
        return assertBuildStatusSuccess(p.scheduleBuild2(0).get());
    }

    private int status(WebClient wc, String path) throws Exception {
        wc.setThrowExceptionOnFailingStatusCode(false);
        wc.setRedirectEnabled(false);
        Page page = wc.getPage(new java.net.URL(getURL(), path));
        return page.getWebResponse().getStatusCode();
    }

    public void testRawRefusesEverythingOutsideTheQuireFolder() throws Exception {
        FreeStyleBuild b = finishedBuild();
        Path artifacts = b.getArtifactsDir().toPath();
        Files.writeString(artifacts.resolve("outside.txt"), "not a quire log");
        Path logs = artifacts.resolve("quire");
        Files.createSymbolicLink(logs.resolve("escape.jsonl"), b.getRootDir().toPath().resolve("build.xml"));
        Files.createSymbolicLink(logs.resolve("up"), b.getRootDir().toPath());
        WebClient wc = createWebClient();
        wc.setJavaScriptEnabled(false);
        String raw = b.getUrl() + "quire/raw?path=";
        assertEquals(200, status(wc, raw + "log.jsonl"));
        assertEquals(200, status(wc, raw + "jobs/build/log.jsonl"));
        assertEquals(404, status(wc, raw + "../outside.txt"));
        assertEquals(404, status(wc, raw + "..%2Foutside.txt"));
        assertEquals(404, status(wc, raw + "%2e%2e/outside.txt"));
        assertEquals(404, status(wc, raw + "%2e%2e%2f%2e%2e%2fbuild.xml"));
        assertEquals(404, status(wc, raw + "jobs/../../outside.txt"));
        assertEquals(404, status(wc, raw + "..%5Coutside.txt"));
        assertEquals(404, status(wc, raw + artifacts.resolve("outside.txt").toString()));
        assertEquals(404, status(wc, raw + "%2Fetc%2Fpasswd"));
        assertEquals(404, status(wc, raw + "escape.jsonl"));
        assertEquals(404, status(wc, raw + "up/build.xml"));
        assertEquals(404, status(wc, raw + "jobs"));
        assertEquals(404, status(wc, b.getUrl() + "quire/raw"));
        Page ok = wc.getPage(new java.net.URL(getURL(), raw + "jobs/test/log.jsonl"));
        assertEquals(Files.readString(logs.resolve("jobs/test/log.jsonl")), ok.getWebResponse().getContentAsString("UTF-8"));
        assertEquals("nosniff", ok.getWebResponse().getResponseHeaderValue("X-Content-Type-Options"));
    }

    public void testPageAndRawNeedReadPermissionOnTheJob() throws Exception {
        FreeStyleBuild b = finishedBuild();
        SecurityRealm realm = createDummySecurityRealm(); // password = user name
        hudson.setSecurityRealm(realm);
        GlobalMatrixAuthorizationStrategy auth = new GlobalMatrixAuthorizationStrategy();
        auth.add(Hudson.READ, "alice");
        auth.add(Item.READ, "alice");
        auth.add(Hudson.READ, "bob");
        hudson.setAuthorizationStrategy(auth);

        String page = b.getUrl() + "quire/";
        String raw = b.getUrl() + "quire/raw?path=log.jsonl";
        WebClient alice = loggedIn("alice");
        WebClient bob = loggedIn("bob");
        assertEquals(200, status(alice, page));
        assertEquals(200, status(alice, raw));
        int bobPage = status(bob, page);
        int bobRaw = status(bob, raw);
        // Hudson hides a job its user may not read (404) before the URL walk reaches the action
        assertEquals("bob is refused the page", 404, bobPage);
        assertEquals("bob is refused the raw log", 404, bobRaw);
        for (String picture : new String[] {"quire/graph", "quire/timeline"}) {
            assertEquals(picture + " for alice", 200, status(alice, b.getUrl() + picture));
            assertEquals(picture + " is refused to bob", 404, status(bob, b.getUrl() + picture));
            WebClient a = createWebClient();
            a.setJavaScriptEnabled(false);
            a.setThrowExceptionOnFailingStatusCode(false);
            Page p = a.getPage(new java.net.URL(getURL(), b.getUrl() + picture));
            assertEquals(picture + ": anonymous is sent to the login page", "/login", p.getWebResponse().getRequestUrl().getPath());
            assertFalse(picture + ": anonymous gets no SVG", p.getWebResponse().getContentAsString().contains("<svg"));
        }
        WebClient anon = createWebClient();
        anon.setJavaScriptEnabled(false);
        anon.setThrowExceptionOnFailingStatusCode(false);
        Page anonRaw = anon.getPage(new java.net.URL(getURL(), raw));
        String anonBody = anonRaw.getWebResponse().getContentAsString();
        assertEquals("anonymous is sent to the login page", "/login", anonRaw.getWebResponse().getRequestUrl().getPath());
        assertFalse("anonymous does not get the log: " + anonBody, anonBody.contains("container-start"));

        // the action checks by itself too, whatever the URL walk did before
        QuireRunAction action = b.getAction(QuireRunAction.class);
        try {
            SecurityContextHolder.getContext().setAuthentication(user("bob"));
            action.getTarget();
            fail("bob may not read the page");
        } catch (AccessDeniedException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("bob"));
        } finally {
            SecurityContextHolder.getContext().setAuthentication(null);
        }
        try {
            SecurityContextHolder.getContext().setAuthentication(user("alice"));
            assertSame(action, action.getTarget());
        } finally {
            SecurityContextHolder.getContext().setAuthentication(null);
        }
        assertTrue(new File(b.getArtifactsDir(), "quire/log.jsonl").isFile());
    }

    private WebClient loggedIn(String name) throws Exception {
        WebClient wc = createWebClient();
        wc.setJavaScriptEnabled(false); // the 1.395 login page's scripts take seconds in HtmlUnit
        return wc.login(name);
    }

    private static UsernamePasswordAuthenticationToken user(String name) {
        return new UsernamePasswordAuthenticationToken(name, name,
                new GrantedAuthority[] {SecurityRealm.AUTHENTICATED_AUTHORITY});
    }
}
