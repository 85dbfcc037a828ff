package io.jenkins.plugins.quire.jenkins;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.slaves.EnvironmentVariablesNodeProperty;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Settings the engine refuses, met by a real build in Hudson 1.395: the build fails with one console line naming the
 * setting, the Quire CI page's run log says the same, and the console shows no Java stack trace.
 */
public class BadSettingsHudsonIT extends LoopbackHudsonTestCase {
    private static final String CI = "(local ci (require :quire.ci))\n"
            + "(ci.job :a [:quire/push] (fn [{: sh}] (sh \"true\") {}))\n";

    private FreeStyleBuild build(String name, QuireBuilder step) throws Exception {
        FreeStyleProject p = createFreeStyleProject(name);
        p.getBuildersList().add(new WriteWorkspaceFile(".quire/ci.fnl", CI));
        p.getBuildersList().add(step);
        return p.scheduleBuild2(0).get(3, TimeUnit.MINUTES);
    }

    private static void assertNoStackTrace(String log) {
        assertFalse("a stack trace reached the console:\n" + log, log.contains("\tat ") || log.contains("Exception"));
    }

    /** DOCKER_HOST comes from the build's environment (node properties may set it); garbage names itself. */
    public void testAnUnsupportedDockerHostFailsTheBuildNamingTheSetting() throws Exception {
        hudson.getGlobalNodeProperties().add(new EnvironmentVariablesNodeProperty(
                new EnvironmentVariablesNodeProperty.Entry("DOCKER_HOST", "garbage://x")));
        FreeStyleBuild b = build("bad-docker-host",
                new QuireBuilder("", "quire-test:busybox", "5", new ArrayList<SecretEntry>()));
        assertBuildStatus(Result.FAILURE, b);
        String log = getLog(b);
        assertTrue(log, log.contains("DOCKER_HOST 'garbage://x' is not a supported Docker address"));
        assertNoStackTrace(log);
        String runLog = Files.readString(b.getArtifactsDir().toPath().resolve("quire/log.jsonl"), StandardCharsets.UTF_8);
        assertTrue(runLog, runLog.contains("garbage://x"));
    }

    /** A FIFO where the pipeline file should be: refused at once (never opened, so no hang), and said so. */
    public void testAPipelineFileThatIsAFifoIsRefusedAsNotARegularFile() throws Exception {
        FreeStyleProject p = createFreeStyleProject("fifo-ci");
        p.getBuildersList().add(new MakeFifo(".quire/ci.fnl"));
        p.getBuildersList().add(new QuireBuilder("", "quire-test:busybox", "5", new ArrayList<SecretEntry>()));
        FreeStyleBuild b = p.scheduleBuild2(0).get(3, TimeUnit.MINUTES);
        assertBuildStatus(Result.FAILURE, b);
        String log = getLog(b);
        assertTrue(log, log.contains("pipeline file .quire/ci.fnl is not a regular file"));
        assertNoStackTrace(log);
    }
}
