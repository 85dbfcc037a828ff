package io.jenkins.plugins.quire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.quire.container.DockerEngine;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Jenkinsfile path in the real hudson.war 1.395: a job without the Quire CI step whose "Execute shell"
 * runs {@code java -jar quire-ci.jar run --logs quire} and archives {@code quire/**} still gets the Quire CI page,
 * attached by the plugin's RunListener from the archived logs; a failing pipeline fails the shell step and still
 * gets its page.
 */
class CommandLineRunnerJobIT {
    private static HudsonServer hudson;
    private static HudsonJobs jobs;
    private static DockerEngine docker;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerTestSupport.engine();
        hudson = HudsonServer.startWithPlugin("cli-job");
        jobs = new HudsonJobs(hudson);
    }

    @AfterAll
    static void stop() {
        if (hudson != null) hudson.close();
        if (docker != null) docker.close();
    }

    private static void createShellJob(String name, String ciFnl) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(System.getProperty("quire.jar")).toAbsolutePath().toString();
        jobs.create(name, new FreestyleJobXml()
                .shell("rm -rf quire\n'" + java + "' -jar '" + jar + "' run --logs quire --image quire-test:busybox")
                .archive("quire/**").xml());
        jobs.writeWorkspaceFile(name, ".quire/ci.fnl", ciFnl);
    }

    @Test
    void archivedCommandLineLogsGetTheQuireCiPage() throws Exception {
        createShellJob("shell-ok", Pipelines.basic("shell"));
        int n = jobs.trigger("shell-ok");
        JsonNode build = jobs.awaitFinished("shell-ok", n, Duration.ofMinutes(3));
        String text = jobs.consoleText("shell-ok", n);
        assertEquals("SUCCESS", build.path("result").asText(), text);
        assertTrue(text.contains("Result: SUCCESS"), "the runner printed its log into the console:\n" + text);
        assertTrue(text.contains("hello  | hello-from-shell\n"), text);

        String page = jobs.quirePage("shell-ok", n);
        assertTrue(page.matches("(?s).*id=\"quire-run-status\"[^>]*>success<.*"), "page shows the run: " + page);
        for (String id : new String[] {"hello", "after", "skipme"}) assertTrue(page.contains("id=\"job-" + id + "\""), id);
        assertTrue(page.contains("hello-from-shell"), "sh output on the page");
        assertTrue(jobs.ok("/job/shell-ok/" + n + "/").contains("quire/"), "build page links the Quire CI page");
        assertTrue(jobs.ok("/job/shell-ok/" + n + "/artifact/quire/jobs/hello/log.jsonl").contains("sh-start"));
        assertTrue(Files.readString(jobs.buildDir("shell-ok", n).resolve("build.xml")).contains("QuireRunAction"),
                "the page is saved with the build");
        String runLog = jobs.ok("/job/shell-ok/" + n + "/artifact/quire/log.jsonl");
        assertTrue(runLog.contains("\"kind\":\"container-end\"") && runLog.contains("removed"),
                "the runner removed its container: " + runLog);
    }

    @Test
    void failingPipelineFailsTheBuildAndStillGetsThePage() throws Exception {
        createShellJob("shell-fail", Pipelines.fnl("(local ci (require :quire.ci))",
                "(ci.job :boom [:quire/push] (fn [{: sh}] (sh \"echo about-to-fail\") (error \"boom-reason\")))",
                "(ci.job :after-boom [:boom] (fn [] {}))"));
        int n = jobs.trigger("shell-fail");
        JsonNode build = jobs.awaitFinished("shell-fail", n, Duration.ofMinutes(3));
        String text = jobs.consoleText("shell-fail", n);
        assertEquals("FAILURE", build.path("result").asText(), text);
        String page = jobs.quirePage("shell-fail", n);
        assertTrue(page.contains("boom-reason"), "the failure reason is on the page");
        assertTrue(page.contains("quire-job-skipped"), "the dependent is shown skipped");
        assertFalse(page.contains("quire-no-log"), "the page found the archived log");
    }

    @Test
    void buildWithoutQuireLogsGetsNoPage() throws Exception {
        jobs.create("plain", new FreestyleJobXml().shell("echo plain-build").xml());
        int n = jobs.trigger("plain");
        assertEquals("SUCCESS", jobs.awaitFinished("plain", n, Duration.ofMinutes(1)).path("result").asText());
        assertEquals(404, hudson.get("/job/plain/" + n + "/quire/").statusCode(), "no page for an unrelated build");
    }
}
