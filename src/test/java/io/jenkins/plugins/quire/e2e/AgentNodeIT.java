package io.jenkins.plugins.quire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.quire.container.DockerEngine;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build step on a real agent of the real hudson.war 1.395 ({@link HudsonAgent}: {@code java -jar slave.jar}
 * started by a command launcher, the built-in node at 0 executors), with the packaged plugin: a build runs there with
 * its console, archived logs and Quire CI page complete and its secret redacted and absent from the agent's disk; the
 * stop button ends a build within 5 s with its container gone; killing the agent process mid-run fails the build
 * with a clear reason, and the next build on that node leaves no container running.
 */
class AgentNodeIT {
    private static final String IMAGE = "quire-test:busybox";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(3);
    private static final String SECRET = "Ag7-agent-secret-0815";

    private static HudsonServer hudson;
    private static HudsonJobs jobs;
    private static HudsonAgent agent;
    private static DockerEngine docker;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerTestSupport.engine();
        hudson = HudsonServer.startWithPlugin("agent-node");
        jobs = new HudsonJobs(hudson);
        agent = HudsonAgent.add(hudson, "a1");
    }

    @AfterAll
    static void stop() {
        if (agent != null) agent.stop();
        if (hudson != null) hudson.close();
        if (docker != null) {
            try {
                for (String id : docker.containersOf(hudson.owner())) {
                    DockerTestSupport.run(new java.util.ArrayList<>(), 60, "docker", "rm", "-f", id);
                }
            } finally {
                docker.close();
            }
        }
    }

    private static void createJob(String name, String ci, Map<String, String> secrets) throws Exception {
        jobs.create(name, new FreestyleJobXml().quire(".quire/ci.fnl", IMAGE, 5).xml());
        if (!secrets.isEmpty()) JobForm.saveQuireStep(hudson, name, ".quire/ci.fnl", IMAGE, 5, secrets);
        agent.writeWorkspaceFile(name, ".quire/ci.fnl", ci);
    }

    private static String slowPipeline() {
        return "(local ci (require :quire.ci))\n"
                + "(ci.job :slow [:quire/push] (fn [{: sh}] (sh \"echo sleeping; sleep 120\") {:done true}))\n";
    }

    @Test
    void buildRunsOnTheAgentWithCompleteConsoleLogsAndPageAndNoSecretOnItsDisk() throws Exception {
        createJob("on-agent", "(local ci (require :quire.ci))\n"
                + "(ci.job :build [:quire/push] (fn [{: sh : secret}]\n"
                + "  (sh [\"sh\" \"-c\" \"echo built-$((6*7)) token=$T\"] {:env {:T (secret :token)}}) {:built true}))\n"
                + "(ci.job :test [:build] (fn [{: sh}] (sh \"echo tested\") {:ok true}))\n", Map.of("token", SECRET));
        int n = jobs.trigger("on-agent");
        JsonNode build = jobs.awaitFinished("on-agent", n, BUILD_TIMEOUT);
        String text = jobs.consoleText("on-agent", n);
        assertEquals("SUCCESS", build.path("result").asText(), text);
        for (String expected : List.of("Building remotely on a1", "container started: " + IMAGE,
                "built-42 token={{ token }}", "<== job build succeeded", "tested", "<== job test succeeded",
                "Result: SUCCESS")) {
            assertTrue(text.contains(expected), "console lacks '" + expected + "':\n" + text);
        }
        assertFalse(text.contains(SECRET));
        Path quire = jobs.buildDir("on-agent", n).resolve("archive/quire");
        String runLog = Files.readString(quire.resolve("log.jsonl"));
        assertTrue(runLog.contains("\"kind\":\"run-end\",\"status\":\"success\""), runLog);
        assertTrue(Files.readString(quire.resolve("jobs/build/log.jsonl")).contains("token={{ token }}"));
        String page = jobs.quirePage("on-agent", n);
        assertTrue(page.contains("id=\"job-build\"") && page.contains("id=\"job-test\""), page);
        assertTrue(page.contains("built-42 token={{ token }}"), page);
        List<Path> onAgent;
        try (Stream<Path> s = Files.walk(agent.root())) {
            onAgent = s.filter(Files::isRegularFile).collect(Collectors.toList());
        }
        assertFalse(onAgent.isEmpty());
        for (Path f : onAgent) {
            String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertFalse(bytes.contains(SECRET), "secret in clear on the agent's disk: " + f);
        }
        DockerTestSupport.assertNoContainersLeft(docker, hudson.owner());
    }

    @Test
    void stopButtonAbortsTheRunOnTheAgentWithinFiveSeconds() throws Exception {
        createJob("agent-abort", slowPipeline(), Map.of());
        int n = jobs.trigger("agent-abort");
        jobs.awaitConsole("agent-abort", n, "sleeping", BUILD_TIMEOUT);
        long t0 = System.nanoTime();
        jobs.stop("agent-abort", n);
        JsonNode build = jobs.awaitFinished("agent-abort", n, Duration.ofSeconds(60));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals("ABORTED", build.path("result").asText(), jobs.consoleText("agent-abort", n));
        assertTrue(ms < 5000, "the build ended " + ms + " ms after the stop button");
        String runLog = Files.readString(jobs.buildDir("agent-abort", n).resolve("archive/quire/log.jsonl")).strip();
        String last = runLog.substring(runLog.lastIndexOf('\n') + 1);
        assertTrue(last.contains("\"kind\":\"run-end\"") && last.contains("\"status\":\"aborted\""), last);
        DockerTestSupport.assertNoContainersLeft(docker, hudson.owner());
        System.out.println("agent stop button: build ended " + ms + " ms after it");
    }

    @Test
    void killingTheAgentFailsTheBuildClearlyAndTheNextBuildLeavesNoContainer() throws Exception {
        createJob("agent-killed", slowPipeline(), Map.of());
        int n = jobs.trigger("agent-killed");
        jobs.awaitConsole("agent-killed", n, "sleeping", BUILD_TIMEOUT);
        agent.kill();
        JsonNode build = jobs.awaitFinished("agent-killed", n, Duration.ofSeconds(90));
        String text = jobs.consoleText("agent-killed", n);
        assertEquals("FAILURE", build.path("result").asText(), text);
        assertTrue(text.contains("Quire CI: the connection to agent 'a1' was lost during the run"), text);
        String runLog = Files.readString(jobs.buildDir("agent-killed", n).resolve("archive/quire/log.jsonl")).strip();
        String last = runLog.substring(runLog.lastIndexOf('\n') + 1);
        assertTrue(last.contains("\"status\":\"failure\"") && last.contains("was lost during the run"), last);
        // the exec agent is the container's command, on the killed JVM's connection: the container ends by itself
        List<String> ids = docker.containersOf(hudson.owner());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> running = ids;
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            running = ids.stream().filter(id -> DockerTestSupport.runOk("docker", "inspect", "-f", "{{.State.Running}}", id)
                    .strip().equals("true")).toList();
        }
        assertEquals(List.of(), running, "containers still running after their agent was killed");

        agent.reconnect();
        createJob("after-kill", "(local ci (require :quire.ci))\n"
                + "(ci.job :quick [:quire/push] (fn [{: sh}] (sh \"true\") {:ok true}))\n", Map.of());
        int m = jobs.trigger("after-kill");
        JsonNode next = jobs.awaitFinished("after-kill", m, BUILD_TIMEOUT);
        assertEquals("SUCCESS", next.path("result").asText(), jobs.consoleText("after-kill", m));
        DockerTestSupport.assertNoContainersLeft(docker, hudson.owner());
    }
}
