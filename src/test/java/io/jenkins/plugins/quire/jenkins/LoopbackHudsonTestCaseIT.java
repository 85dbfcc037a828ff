package io.jenkins.plugins.quire.jenkins;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import java.net.InetAddress;
import java.net.URL;
import org.mortbay.jetty.Connector;

/** Checks the shared test base: Hudson answers on the loopback interface only, with no JNLP port, and builds run. */
public class LoopbackHudsonTestCaseIT extends LoopbackHudsonTestCase {

    public void testListensOnLoopbackOnlyAndRunsBuilds() throws Exception {
        Connector[] connectors = server.getConnectors();
        assertEquals(1, connectors.length);
        assertEquals("127.0.0.1", connectors[0].getHost());
        assertTrue("a real port was bound", localPort > 0);
        URL url = getURL();
        assertTrue(url.toString(), url.toString().endsWith(":" + localPort + "/"));
        assertTrue(InetAddress.getByName(connectors[0].getHost()).isLoopbackAddress());
        assertEquals("no JNLP slave agent listener", -1, hudson.getSlaveAgentPort());
        assertTrue("update center disabled", hudson.getUpdateCenter().getSites().isEmpty());
        FreeStyleProject p = createFreeStyleProject("smoke");
        FreeStyleBuild b = assertBuildStatusSuccess(p.scheduleBuild2(0).get());
        assertEquals(1, b.getNumber());
        String page = createWebClient().goTo("job/smoke/").getWebResponse().getContentAsString();
        assertTrue(page, page.contains("smoke"));
    }
}
