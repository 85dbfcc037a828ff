package io.jenkins.plugins.quire.jenkins;

import com.gargoylesoftware.htmlunit.html.HtmlPage;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Real Hudson 1.395 and dockerd: a build whose run cannot start (missing image, invalid pipeline, no pipeline file)
 * gets a Quire CI page that says why, read from the run log's {@code run-end} reason, instead of "failure, no jobs"
 * (or "no log") and nothing else.
 */
public class RunEndReasonPageIT extends LoopbackHudsonTestCase {
    /** A registry on a closed local port: the pull fails at once, without leaving the machine. */
    private static final String MISSING_IMAGE = "127.0.0.1:1/quire-test:missing";

    private FreeStyleBuild build(String name, String ci, String image) throws Exception {
        FreeStyleProject p = createFreeStyleProject(name);
        if (ci != null) p.getBuildersList().add(new WriteWorkspaceFile(".quire/ci.fnl", ci));
        p.getBuildersList().add(new QuireBuilder(".quire/ci.fnl", image, "5", new ArrayList<>()));
        return assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0).get(3, TimeUnit.MINUTES));
    }

    private HtmlPage page(FreeStyleBuild b) throws Exception {
        WebClient wc = createWebClient();
        wc.setJavaScriptEnabled(false);
        wc.setRefreshHandler(new QuireRunActionPageIT.NoRefresh());
        return wc.getPage(b, "quire/");
    }

    public void testTheQuireCiPageSaysWhyARunCouldNotStart() throws Exception {
        FreeStyleBuild missing = build("quire-missing-image",
                "(local ci (require :quire.ci))\n(ci.job :a [:quire/push] (fn [{: sh}] (sh \"true\") {}))\n",
                MISSING_IMAGE);
        HtmlPage page = page(missing);
        assertEquals("failure", QuireRunActionPageIT.text(page, "quire-run-status"));
        String reason = QuireRunActionPageIT.text(page, "quire-run-reason");
        assertTrue(reason, reason.contains("image '" + MISSING_IMAGE + "' is not available locally"));

        FreeStyleBuild invalid = build("quire-invalid-pipeline",
                "(local ci (require :quire.ci))\n(ci.job :a [:typo] (fn [] nil))\n", "quire-test:busybox");
        String why = QuireRunActionPageIT.text(page(invalid), "quire-run-reason");
        assertTrue(why, why.contains(".quire/ci.fnl has errors"));
        assertTrue(why, why.contains("Job 'a' lists unknown input 'typo'."));
        assertTrue(getLog(invalid), getLog(invalid).contains("Job 'a' lists unknown input 'typo'."));

        FreeStyleBuild noFile = build("quire-no-pipeline-file", null, "quire-test:busybox");
        String none = QuireRunActionPageIT.text(page(noFile), "quire-run-reason");
        assertTrue(none, none.startsWith("pipeline file .quire/ci.fnl not found in the workspace"));
    }
}
