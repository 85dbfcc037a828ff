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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The "Run Quire CI pipeline" step end to end in the real hudson.war 1.395 with the built quire-ci.hpi installed and a
 * real dockerd: jobs created over HTTP, builds triggered over HTTP, then the console (HTML and plain), the Quire CI
 * page, the archived JSONL logs, secrets, the stop button and four concurrent builds. A build that runs in Docker
 * proves the shaded docker-java, Jackson and Guava work inside Hudson's class loaders (docs/architecture.md).
 */
class QuireStepIT {
    private static final String IMAGE = "quire-test:busybox";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(3);
    private static final String SECRET = "Zq8-very-secret-4711";
    /** First character of every console line marker (ConsoleMarkers.LEAD, U+2063 INVISIBLE SEPARATOR). */
    private static final char MARKER_LEAD = '\u2063';

    private static HudsonServer hudson;
    private static HudsonJobs jobs;
    private static DockerEngine docker;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerTestSupport.engine();
        hudson = HudsonServer.startWithPlugin("quire-step");
        jobs = new HudsonJobs(hudson);
    }

    @AfterAll
    static void stop() {
        if (hudson != null) hudson.close();
        if (docker != null) docker.close();
    }

    @AfterEach
    void noContainerLeft() {
        DockerTestSupport.assertNoContainersLeft(docker, hudson.owner());
    }

    private static void createQuireJob(String name, String ciFnl) throws Exception {
        jobs.create(name, new FreestyleJobXml().quire(".quire/ci.fnl", IMAGE, 5).xml());
        jobs.writeWorkspaceFile(name, ".quire/ci.fnl", ciFnl);
    }

    @Test
    void buildSucceedsAndConsoleTextReadsExactlyLikeTheCommandLineRunner() throws Exception {
        createQuireJob("basic", Pipelines.basic("basic"));
        int n = jobs.trigger("basic");
        JsonNode build = jobs.awaitFinished("basic", n, BUILD_TIMEOUT);
        String text = jobs.consoleText("basic", n);
        assertEquals("SUCCESS", build.path("result").asText(), text);

        Path cliWorkspace = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "quire-cli-");
        Files.createDirectories(cliWorkspace.resolve(".quire"));
        Files.writeString(cliWorkspace.resolve(".quire/ci.fnl"), Pipelines.basic("basic"));
        String cli = runCli(cliWorkspace, "run", "--workspace", cliWorkspace.toString(), "--logs",
                cliWorkspace.resolve("logs").toString());
        List<String> expected = ConsoleLines.normalized(cli);
        assertTrue(expected.size() > 15, "the CLI printed a full run:\n" + cli);
        assertEquals(expected, ConsoleLines.normalized(text), "consoleText = CLI output; console was:\n" + text);

        assertFalse(text.contains("\u001b"), "no escape sequences (console notes) in consoleText");
        assertFalse(text.contains("<span"), "no markup in consoleText");
        assertEquals(List.of(), ConsoleLines.invisibleOutsideMarkers(text), "only line markers are invisible");
        assertTrue(text.contains("hello  | hello-from-basic\n"), "stdout verbatim after its padded job column");
        assertTrue(text.contains("! warn-basic\n"), "stderr with its prefix");
        assertTrue(text.contains("Finished: SUCCESS"), text);
    }

    @Test
    void consoleHtmlCarriesTheAnnotatedMarkup() throws Exception {
        createQuireJob("markup", Pipelines.basic("markup"));
        int n = jobs.trigger("markup");
        assertEquals("SUCCESS", jobs.awaitFinished("markup", n, BUILD_TIMEOUT).path("result").asText());
        String html = jobs.consoleHtml("markup", n);
        for (String css : new String[] {"quire-m", "quire-line quire-job", "quire-line quire-cmd",
                "quire-line quire-err", "quire-exit quire-ok", "quire-end quire-succeeded", "quire-end quire-skipped",
                "quire-sum-head", "quire-sum-result quire-ok", "quire-info", "quire-col quire-c0", "quire-col quire-c1"}) {
            assertTrue(html.contains(css), "console HTML has class " + css);
        }
        String shown = HtmlText.of(html);
        assertTrue(shown.contains("==> job hello"), "job line shown as text: " + shown);
        assertTrue(shown.contains("$ echo hello-from-markup; sleep 0.3; echo warn-markup >&2"), "command as text");
        assertTrue(shown.contains("hello  | hello-from-markup\n"), "stdout shown after its job column");
        assertTrue(html.indexOf(MARKER_LEAD) >= 0, "the console HTML carries the line markers");
        for (int i = html.indexOf(MARKER_LEAD); i >= 0; i = html.indexOf(MARKER_LEAD, i + 1)) {
            assertTrue(html.startsWith("display:none\">", i - "display:none\">".length()),
                    "every marker sits in a hidden span: " + html.substring(Math.max(0, i - 80), i + 2));
        }
    }

    @Test
    void quirePageAndArtifactsShowTheRun() throws Exception {
        createQuireJob("page", Pipelines.basic("page"));
        int n = jobs.trigger("page");
        assertEquals("SUCCESS", jobs.awaitFinished("page", n, BUILD_TIMEOUT).path("result").asText());

        String page = jobs.quirePage("page", n);
        assertTrue(page.contains("id=\"quire-run-status\""), page);
        assertTrue(page.matches("(?s).*id=\"quire-run-status\"[^>]*>success<.*"), "run status success");
        assertTrue(page.contains("quire-test:busybox"), "image shown");
        for (String id : new String[] {"hello", "after", "skipme"}) assertTrue(page.contains("id=\"job-" + id + "\""), id);
        assertTrue(page.contains("quire-job-skipped"), "skipped job shown as such");
        assertTrue(HtmlText.of(page).contains("echo hello-from-page; sleep 0.3; echo warn-page >&2"), "command shown");
        assertFalse(page.contains("warn-page >&2"), "command escaped in the HTML");
        assertTrue(page.contains("<span class=\"quire-stderr\">warn-page"), "stderr in its own span");
        assertTrue(page.contains("hello-from-page"), "outputs/stdout shown");
        assertTrue(page.contains("Quire CI"), "title");
        String buildPage = jobs.ok("/job/page/" + n + "/");
        assertTrue(buildPage.contains("quire/"), "the build page links the Quire CI page");

        String runLog = jobs.ok("/job/page/" + n + "/artifact/quire/log.jsonl");
        assertTrue(runLog.contains("\"kind\":\"run-end\"") && runLog.contains("\"status\":\"success\""), runLog);
        String jobLog = jobs.ok("/job/page/" + n + "/artifact/quire/jobs/hello/log.jsonl");
        assertTrue(jobLog.contains("\"kind\":\"sh-start\"") && jobLog.contains("hello-from-page"), jobLog);
        assertEquals(jobLog, jobs.ok("/job/page/" + n + "/quire/raw?path=jobs/hello/log.jsonl"), "raw = artifact");
        String listing = jobs.ok("/job/page/" + n + "/artifact/quire/jobs/");
        for (String id : new String[] {"hello", "after"}) assertTrue(listing.contains(id), "artifact browser lists " + id);
        String buildJson = jobs.ok("/job/page/" + n + "/api/json");
        assertTrue(buildJson.contains("quire/log.jsonl"), "the build's artifacts list the run log: " + buildJson);
    }

    @Test
    void secretsNeverAppearInClearAnywhere() throws Exception {
        createQuireJob("secrets", Pipelines.secret(SECRET));
        JobForm.saveQuireStep(hudson, "secrets", ".quire/ci.fnl", IMAGE, 5, Map.of("token", SECRET));
        String config = Files.readString(hudson.home().resolve("jobs/secrets/config.xml"));
        assertTrue(config.contains("<name>token</name>"), "the secret is configured:\n" + config);
        assertFalse(config.contains(SECRET), "config.xml on disk holds the value encrypted only:\n" + config);

        int n = jobs.trigger("secrets");
        JsonNode build = jobs.awaitFinished("secrets", n, BUILD_TIMEOUT);
        String text = jobs.consoleText("secrets", n);
        assertEquals("SUCCESS", build.path("result").asText(), text);
        assertTrue(text.contains("secret-arrived"), "the pipeline received the real value:\n" + text);
        assertTrue(text.contains("token={{ token }}"), "stdout redacted:\n" + text);
        assertTrue(text.contains("! token-err={{ token }}"), "stderr redacted:\n" + text);

        List<String> leaks = new ArrayList<>();
        check(leaks, "consoleText", text);
        check(leaks, "console", jobs.consoleHtml("secrets", n));
        String page = jobs.quirePage("secrets", n);
        assertTrue(page.contains("{{ token }}"), "page shows the redacted form");
        check(leaks, "Quire CI page", page);
        check(leaks, "artifact run log", jobs.ok("/job/secrets/" + n + "/artifact/quire/log.jsonl"));
        check(leaks, "artifact job log", jobs.ok("/job/secrets/" + n + "/artifact/quire/jobs/use/log.jsonl"));
        check(leaks, "build api", jobs.ok("/job/secrets/" + n + "/api/json?depth=2"));
        check(leaks, "job config.xml (HTTP)", jobs.ok("/job/secrets/config.xml"));
        check(leaks, "job config.xml (disk)", Files.readString(hudson.home().resolve("jobs/secrets/config.xml")));
        try (Stream<Path> files = Files.walk(hudson.home().resolve("jobs/secrets"))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                check(leaks, f.toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        assertEquals(List.of(), leaks, "the secret value appears in clear");
    }

    private static void check(List<String> leaks, String where, String content) {
        if (content.contains(SECRET)) leaks.add(where);
    }

    @Test
    void stopButtonAbortsWithinFiveSecondsAndRemovesTheContainer() throws Exception {
        createQuireJob("abort", Pipelines.sleeper());
        int n = jobs.trigger("abort");
        jobs.awaitConsole("abort", n, "sleeping-now", BUILD_TIMEOUT);
        assertEquals(1, docker.containersOf(hudson.owner()).size(), "the run's container is up");
        long t0 = System.nanoTime();
        int status = jobs.stop("abort", n);
        assertTrue(status == 302 || status == 200, "stop answered " + status);
        JsonNode build = jobs.awaitFinished("abort", n, Duration.ofSeconds(30));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        String text = jobs.consoleText("abort", n);
        assertEquals("ABORTED", build.path("result").asText(), text);
        assertTrue(ms <= 5000, "aborted after " + ms + " ms (limit 5000)");
        assertEquals(List.of(), docker.containersOf(hudson.owner()), "container removed by the time the build ended");
        assertFalse(text.contains("never"), "the dependent job did not run");
        String runLog = jobs.ok("/job/abort/" + n + "/artifact/quire/log.jsonl");
        assertTrue(runLog.contains("\"status\":\"aborted\""), "run log closed as aborted:\n" + runLog);
        System.out.println("[QuireStepIT] stop button -> ABORTED in " + ms + " ms");
    }

    @Test
    void fourConcurrentBuildsKeepTheirOwnConsolesAndLogs() throws Exception {
        String[] tags = {"alpha", "bravo", "charlie", "delta"};
        for (int i = 0; i < tags.length; i++) createQuireJob("conc-" + tags[i], Pipelines.concurrent(tags[i], 8 + i));
        int[] numbers = new int[tags.length];
        for (int i = 0; i < tags.length; i++) numbers[i] = jobs.trigger("conc-" + tags[i]);
        long latestStart = 0;
        long earliestEnd = Long.MAX_VALUE;
        for (int i = 0; i < tags.length; i++) {
            String job = "conc-" + tags[i];
            JsonNode b = jobs.awaitFinished(job, numbers[i], BUILD_TIMEOUT);
            String text = jobs.consoleText(job, numbers[i]);
            assertEquals("SUCCESS", b.path("result").asText(), text);
            latestStart = Math.max(latestStart, b.path("timestamp").asLong());
            earliestEnd = Math.min(earliestEnd, b.path("timestamp").asLong() + b.path("duration").asLong());
            String jobLog = jobs.ok("/job/" + job + "/" + numbers[i] + "/artifact/quire/jobs/work/log.jsonl");
            String page = jobs.quirePage(job, numbers[i]);
            for (int line = 1; line <= 8 + i; line++) {
                assertTrue(text.contains("| " + tags[i] + "-line-" + line + "\n"), job + " line " + line);
            }
            assertTrue(text.contains("checked-" + tags[i]), job + " passed its output on");
            for (String other : tags) {
                if (other.equals(tags[i])) continue;
                assertFalse(text.contains(other + "-line"), job + " console has " + other + "'s output");
                assertFalse(jobLog.contains(other), job + " log has " + other + "'s output");
                assertFalse(page.contains(other + "-line"), job + " page has " + other + "'s output");
            }
        }
        assertTrue(latestStart < earliestEnd, "the four builds ran at the same time");
    }

    /** Runs the packaged command-line runner and returns its stdout (stderr goes along; a non-zero exit fails). */
    static String runCli(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-jar");
        cmd.add(System.getProperty("quire.jar"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "CLI finished");
        String s = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "CLI exit code; output:\n" + s);
        return s;
    }
}
