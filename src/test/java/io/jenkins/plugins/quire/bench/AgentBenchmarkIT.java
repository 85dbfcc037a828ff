package io.jenkins.plugins.quire.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.quire.e2e.HudsonAgent;
import io.jenkins.plugins.quire.e2e.HudsonServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (prints figures, asserts no time): what running on an agent adds to a build, in the real hudson.war
 * 1.395 with the packaged plugin. The same one-job pipeline ({@code sh "true"}) is built on the built-in node (the
 * first build, then the median of later ones), then on a fresh agent ({@code java -jar slave.jar} on this machine,
 * {@link HudsonAgent}): its first build (the engine reaches the agent through the channel) and the median of later
 * ones. Build durations are Hudson's own ({@code duration} of the build's API).
 */
@Tag("benchmark")
class AgentBenchmarkIT {
    private static final int LATER = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CI = "(local ci (require :quire.ci))\n(ci.image \"quire-test:busybox\")\n"
            + "(ci.job :quick [:quire/push] (fn [{: sh}] (sh \"true\") {:ok true}))\n";
    private static final String JOB = "<?xml version='1.0' encoding='UTF-8'?>\n<project><keepDependencies>false"
            + "</keepDependencies><properties/><scm class=\"hudson.scm.NullSCM\"/><canRoam>true</canRoam>"
            + "<disabled>false</disabled><triggers class=\"vector\"/><concurrentBuild>false</concurrentBuild>"
            + "<builders><io.jenkins.plugins.quire.jenkins.QuireBuilder><file>.quire/ci.fnl</file><timeout>5"
            + "</timeout><secrets/></io.jenkins.plugins.quire.jenkins.QuireBuilder></builders><publishers/>"
            + "<buildWrappers/></project>\n";

    @Test
    void firstAndLaterBuildOnAnAgentAgainstTheBuiltInNode() throws Exception {
        try (HudsonServer hudson = HudsonServer.startWithPlugin("agent-bench")) {
            HttpResponse<String> r = hudson.post("/createItem?name=bench", "application/xml", JOB);
            assertEquals(200, r.statusCode(), r.body());
            Path ws = hudson.home().resolve("jobs/bench/workspace/.quire");
            Files.createDirectories(ws);
            Files.writeString(ws.resolve("ci.fnl"), CI);
            long builtInFirst = build(hudson);
            long builtInLater = medianOfLater(hudson);

            HudsonAgent agent = HudsonAgent.add(hudson, "bench-agent");
            try {
                agent.writeWorkspaceFile("bench", ".quire/ci.fnl", CI);
                long agentFirst = build(hudson);
                long agentLater = medianOfLater(hudson);
                System.out.printf("BENCH agent: built-in node first build %d ms, later %d ms (median of %d);"
                        + " fresh agent first build %d ms, later %d ms; extra on the agent: first %+d ms,"
                        + " later %+d ms%n", builtInFirst, builtInLater, LATER, agentFirst, agentLater,
                        agentFirst - builtInFirst, agentLater - builtInLater);
            } finally {
                agent.stop();
            }
        }
    }

    private static long medianOfLater(HudsonServer hudson) throws Exception {
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < LATER; i++) ms.add(build(hudson));
        Collections.sort(ms);
        return ms.get(LATER / 2);
    }

    /** Runs one build of the job; returns Hudson's duration of it. */
    private static long build(HudsonServer hudson) throws Exception {
        int n = JSON.readTree(hudson.get("/job/bench/api/json").body()).path("nextBuildNumber").asInt();
        hudson.post("/job/bench/build?delay=0sec", "application/x-www-form-urlencoded", "");
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> b = hudson.get("/job/bench/" + n + "/api/json");
            if (b.statusCode() == 200) {
                JsonNode j = JSON.readTree(b.body());
                if (!j.path("building").asBoolean(true)) {
                    assertEquals("SUCCESS", j.path("result").asText(),
                            hudson.get("/job/bench/" + n + "/consoleText").body());
                    return j.path("duration").asLong();
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("build #" + n + " did not finish");
    }
}
