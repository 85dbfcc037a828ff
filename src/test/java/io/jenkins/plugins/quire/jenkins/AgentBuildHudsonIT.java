package io.jenkins.plugins.quire.jenkins;

import com.gargoylesoftware.htmlunit.html.HtmlPage;
import hudson.EnvVars;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.remoting.Callable;
import hudson.remoting.VirtualChannel;
import hudson.slaves.CommandLauncher;
import hudson.slaves.DumbSlave;
import hudson.util.Secret;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The build step on a real agent process (the harness' {@code createSlave()}: {@code java -jar slave.jar} on this
 * machine, over its stdin/stdout channel): the engine runs in the agent's JVM, the console, the archived JSONL logs
 * and the Quire CI page are complete on the controller, a secret is redacted and never on the agent's disk, the
 * abort button ends the build within 5 s with the container gone, and a lost channel fails the build clearly, keeps
 * the logs received so far closed and readable, and leaves no container.
 */
public class AgentBuildHudsonIT extends LoopbackHudsonTestCase {
    private static final String IMAGE = "quire-test:busybox";
    private static final String SECRET_VALUE = "agent-s3cr3t-Zq9";

    @Override
    public CommandLauncher createComputerLauncher(EnvVars env) throws java.net.URISyntaxException,
            java.net.MalformedURLException {
        Path slaveJar = new File(hudson.getJnlpJars("slave.jar").getURL().toURI()).toPath();
        return new CommandLauncher(AgentJvm.command(slaveJar).stream().map(s -> "\"" + s + "\"")
                .collect(Collectors.joining(" ")), env);
    }

    private static String fnl(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    private FreeStyleProject project(DumbSlave agent, String name, String ci, SecretEntry... secrets)
            throws IOException {
        FreeStyleProject p = createFreeStyleProject(name);
        p.setAssignedLabel(agent.getSelfLabel());
        p.getBuildersList().add(new WriteWorkspaceFile(".quire/ci.fnl", ci));
        p.getBuildersList().add(new QuireBuilder("", IMAGE, "5", new ArrayList<>(Arrays.asList(secrets))));
        return p;
    }

    /** How many Quire CI runs the agent's JVM has started. */
    private static int runsStartedOn(VirtualChannel ch) throws Exception {
        return ch.call(new RunsStarted());
    }

    private static final class RunsStarted implements Callable<Integer, RuntimeException> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            return NodeRuns.started();
        }
    }

    private static final class CachesCalls implements Callable<Integer, RuntimeException> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            return CachesOnNode.calls();
        }
    }

    /** The job's caches page and its Clear ask the node that ran the last build (its engine), not the controller. */
    public void testTheCachesPageAsksTheNodeThatRanTheLastBuild() throws Exception {
        DumbSlave agent = createOnlineSlave();
        FreeStyleProject p = project(agent, "quire-agent-caches", fnl(
                "(local ci (require :quire.ci))",
                "(ci.cache \"/cache/n\")",
                "(ci.job :w [:quire/push] (fn [{: sh}] (sh \"touch /cache/n/f\") {}))"));
        p.onCreatedFromScratch();   // the transient actions, as for a job created with this configuration
        FreeStyleBuild b = assertBuildStatusSuccess(p.scheduleBuild2(0).get(3, TimeUnit.MINUTES));
        assertEquals(agent, b.getBuiltOn());
        int onAgent = agent.getChannel().call(new CachesCalls());
        int here = CachesOnNode.calls();
        try {
            String page = createWebClient().getPage(p, "quire-caches/").asText();
            assertTrue(page, page.contains("/cache/n"));
            assertEquals("the agent listed them", onAgent + 1, (int) agent.getChannel().call(new CachesCalls()));
            assertEquals("not the controller", here, CachesOnNode.calls());
        } finally {
            assertEquals(1, JobCaches.clear(p, p.getFullName(), null));
        }
        assertEquals("the agent cleared them", onAgent + 2, (int) agent.getChannel().call(new CachesCalls()));
        assertEquals(List.of(), JobCaches.list(p, p.getFullName()));
    }

    public void testBuildOnAgentRunsTheEngineThereWithCompleteConsoleLogsAndPageAndNoSecretOnItsDisk()
            throws Exception {
        DumbSlave agent = createOnlineSlave();
        String ci = fnl(
                "(local ci (require :quire.ci))",
                "(ci.job :build [:quire/push]",
                "  (fn [{: sh : secret}]",
                "    (sh [\"sh\" \"-c\" \"echo building-$((6*7)) token=$T; echo warn-line >&2\"] {:env {:T (secret :token)}})",
                "    {:built true}))",
                "(ci.job :test [:build] (fn [{: sh : jobs}] (sh \"echo tested\") {:was (. (jobs :build) :built)}))");
        FreeStyleProject p = project(agent, "quire-on-agent", ci,
                new SecretEntry("token", Secret.fromString(SECRET_VALUE)));
        int controllerRuns = NodeRuns.started();
        int agentRuns = runsStartedOn(agent.getChannel());
        FreeStyleBuild b = assertBuildStatusSuccess(p.scheduleBuild2(0).get(3, TimeUnit.MINUTES));
        String log = getLog(b);
        System.out.println("=== console of " + b.getFullDisplayName() + "\n" + log);
        assertEquals(agent, b.getBuiltOn());
        assertTrue(b.getWorkspace().isRemote());
        assertEquals("the engine ran in the agent's JVM", agentRuns + 1, runsStartedOn(agent.getChannel()));
        assertEquals("not in the controller's", controllerRuns, NodeRuns.started());
        for (String expected : List.of("container started: " + IMAGE, "==> job build", "building-42 token={{ token }}",
                "! warn-line", "<== job build succeeded", "==> job test", "tested", "<== job test succeeded",
                "Summary:", "Result: SUCCESS")) {
            assertTrue("console lacks '" + expected + "':\n" + log, log.contains(expected));
        }
        assertFalse(log.contains(SECRET_VALUE));
        Path quire = b.getArtifactsDir().toPath().resolve("quire");
        String runLog = Files.readString(quire.resolve("log.jsonl"));
        assertTrue(runLog, runLog.contains("\"kind\":\"run-end\",\"status\":\"success\""));
        assertEquals("one run-end only", runLog.indexOf("\"run-end\""), runLog.lastIndexOf("\"run-end\""));
        String buildLog = Files.readString(quire.resolve("jobs/build/log.jsonl"));
        assertTrue(buildLog, buildLog.contains("token={{ token }}"));
        assertTrue(Files.isRegularFile(quire.resolve("jobs/test/log.jsonl")));
        for (Path f : files(b.getRootDir().toPath())) assertNoSecret(f);

        HtmlPage page = createWebClient().getPage(b, "quire/");
        String text = page.asText();
        assertTrue(text, text.contains("success"));
        assertNotNull(page.getElementById("job-build"));
        assertNotNull(page.getElementById("job-test"));
        assertTrue(text, text.contains("building-42 token={{ token }}"));

        List<Path> onAgent = files(Path.of(agent.getRemoteFS()));
        assertFalse("the agent's root holds the workspace", onAgent.isEmpty());
        for (Path f : onAgent) assertNoSecret(f);
    }

    public void testAbortOnAgentEndsTheBuildAbortedWithinFiveSecondsAndRemovesTheContainer() throws Exception {
        DumbSlave agent = createOnlineSlave();
        FreeStyleProject p = project(agent, "quire-agent-abort", fnl(
                "(local ci (require :quire.ci))",
                "(ci.job :slow [:quire/push] (fn [{: sh}] (sh \"echo sleeping; sleep 120\") {:done true}))",
                "(ci.job :after [:slow] (fn [{: sh}] (sh \"echo after\") {:done true}))"));
        FreeStyleBuild b = HarnessBuilds.abortWhileSleeping(p, BuildOptions.owner());
        assertEquals(agent, b.getBuiltOn());
    }

    public void testLostChannelFailsTheBuildClearlyKeepsTheLogsAndLeavesNoContainer() throws Exception {
        DumbSlave agent = createOnlineSlave();
        FreeStyleProject p = project(agent, "quire-agent-lost", fnl(
                "(local ci (require :quire.ci))",
                "(ci.job :slow [:quire/push] (fn [{: sh}] (sh \"echo sleeping; sleep 120\") {:done true}))"));
        Future<FreeStyleBuild> f = p.scheduleBuild2(0);
        FreeStyleBuild b = HarnessBuilds.waitForLog(p, "sleeping", 120);
        String owner = BuildOptions.owner();
        assertEquals(1, HarnessBuilds.containers(owner).size());
        agent.getComputer().getChannel().close();
        f.get(60, TimeUnit.SECONDS);
        String log = getLog(b);
        assertEquals(log, Result.FAILURE, b.getResult());
        assertTrue(log, log.contains("Quire CI: the connection to agent '" + agent.getNodeName()
                + "' was lost during the run"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!HarnessBuilds.containers(owner).isEmpty() && System.nanoTime() < deadline) Thread.sleep(200);
        assertEquals("the agent removed its container", List.of(), HarnessBuilds.containers(owner));
        String runLog = Files.readString(b.getArtifactsDir().toPath().resolve("quire/log.jsonl")).strip();
        String last = runLog.substring(runLog.lastIndexOf('\n') + 1);
        assertTrue(last, last.contains("\"kind\":\"run-end\"") && last.contains("\"status\":\"failure\"")
                && last.contains("was lost during the run"));
        assertTrue(runLog, runLog.contains("\"kind\":\"container-start\""));
        String jobLog = Files.readString(b.getArtifactsDir().toPath().resolve("quire/jobs/slow/log.jsonl"));
        assertTrue(jobLog, jobLog.contains("sleeping"));
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    private static void assertNoSecret(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(SECRET_VALUE + " in clear in " + file, text.contains(SECRET_VALUE));
    }
}
