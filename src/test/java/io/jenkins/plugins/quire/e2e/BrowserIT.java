package io.jenkins.plugins.quire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.DockerEngine;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Real headless Chromium against real builds in hudson.war 1.395: the console and the Quire CI page render, a
 * collapsed sh block expands on click, screenshots land in {@code target/screenshots/}, and script payloads carried
 * by command output, commands, job outputs and error messages never execute (docs/security.md: command output is data).
 */
class BrowserIT {
    /** Payloads as the pipeline prints them; the page must show them as text. */
    static final String TAG = "<script>window.__quirePwned=1</script>";
    static final String ATTR = "\"><img src=x onerror=\"window.__quirePwned=1\">";

    static final String XSS_PIPELINE = """
            (local ci (require :quire.ci))
            (ci.image "quire-test:busybox")
            (local tag "<script>window.__quirePwned=1</script>")
            (local attr "\\"><img src=x onerror=\\"window.__quirePwned=1\\">")
            (ci.job :xss [:quire/push]
              (fn [{: sh}]
                (sh ["printf" "%s\\n%s\\n" tag attr])
                (sh (.. "echo '" tag "' >&2; echo '" attr "'"))
                {:html tag :attr attr}))
            (ci.job :fails [:quire/push]
              (fn [{: sh}]
                (sh ["echo" attr])
                (error (.. "bad " attr " " tag))))
            (ci.job :victim [:fails] (fn [] {}))
            """;

    /** A job id carrying a payload is rejected by validation; the error then lands in the console. */
    static final String INVALID_PIPELINE = """
            (local ci (require :quire.ci))
            (ci.image "quire-test:busybox")
            (ci.job "<img src=x onerror=window.__quirePwned=1>" [:quire/push] (fn [] {}))
            """;

    private static HudsonServer hudson;
    private static HudsonJobs jobs;
    private static DockerEngine docker;
    private static HeadlessChromium chromium;
    private static Path shots;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerTestSupport.engine();
        Path target = Path.of(System.getProperty("quire.target.dir"));
        shots = target.resolve("screenshots");
        hudson = HudsonServer.startWithPlugin("browser");
        jobs = new HudsonJobs(hudson);
        for (String[] job : new String[][] {{"xss", XSS_PIPELINE}, {"xss-invalid", INVALID_PIPELINE}}) {
            jobs.create(job[0], new FreestyleJobXml().quire(".quire/ci.fnl", null, 5).xml());
            jobs.writeWorkspaceFile(job[0], ".quire/ci.fnl", job[1]);
        }
        assertEquals("FAILURE", jobs.awaitFinished("xss", jobs.trigger("xss"), Duration.ofMinutes(3))
                .path("result").asText(), "job 'fails' fails the build");
        assertEquals("FAILURE", jobs.awaitFinished("xss-invalid", jobs.trigger("xss-invalid"), Duration.ofMinutes(2))
                .path("result").asText(), "the invalid pipeline fails the build");
        chromium = new HeadlessChromium(target.resolve("e2e").resolve("chrome-profile"));
    }

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
        if (hudson != null) hudson.close();
        if (docker != null) docker.close();
    }

    @Test
    void theDetectorSeesAScriptThatDoesRun() {
        chromium.open("data:text/html,<p>probe</p>" + TAG);
        assertEquals("number", chromium.pwnedState(), "an unescaped payload runs in this browser");
    }

    @Test
    void consoleShowsPayloadsAsTextAndRunsNone() throws Exception {
        chromium.open(hudson.url() + "/job/xss/1/console");
        String text = chromium.driver().findElement(By.tagName("body")).getText();
        chromium.fitHeight(2400);
        Path png = chromium.screenshot(shots.resolve("console.png"));
        assertEquals("undefined", chromium.pwnedState(), "a payload executed on the console page");
        assertTrue(text.contains(TAG), "the script tag is shown as text:\n" + text);
        assertTrue(text.contains(ATTR), "the attribute breaker is shown as text");
        assertTrue(text.contains("==> job xss"), "the job line is visible");
        assertFalse(text.contains("\u2063") || text.contains("\u001e"), "no marker character in the visible text");
        List<WebElement> cmds = chromium.driver().findElements(By.cssSelector(".quire-cmd"));
        assertFalse(cmds.isEmpty(), "commands are styled");
        assertNotEquals(cmds.get(0).getCssValue("color"), chromium.driver().findElement(By.tagName("pre"))
                .getCssValue("color"), "commands have their own colour (the console CSS is loaded)");
        assertTrue(Files.size(png) > 10_000, "screenshot written: " + png);
    }

    @Test
    void quirePageShowsPayloadsAsTextExpandsOnClickAndRunsNone() throws Exception {
        chromium.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1400));
        chromium.open(hudson.url() + "/job/xss/1/quire/");
        assertEquals("undefined", chromium.pwnedState(), "a payload executed on the Quire CI page");
        String text = chromium.driver().findElement(By.tagName("body")).getText();
        assertTrue(text.contains("failure"), "run status shown");
        assertTrue(text.contains("bad " + ATTR + " " + TAG), "the error message is shown as text:\n" + text);
        WebElement closed = chromium.driver().findElement(By.cssSelector("#job-xss details.quire-sh:not([open])"));
        assertEquals("", closed.findElement(By.cssSelector("pre.quire-output")).getText(), "collapsed before the click");
        chromium.screenshot(shots.resolve("quire-page.png"));
        closed.findElement(By.tagName("summary")).click();
        assertNotNull(closed.getAttribute("open"), "the sh block expanded");
        String output = closed.findElement(By.cssSelector("pre.quire-output")).getText();
        assertTrue(output.contains(TAG) || output.contains(ATTR), "expanded output shows the payload as text: " + output);
        assertEquals("undefined", chromium.pwnedState(), "a payload executed after expanding");
        chromium.fitHeight(3000);
        chromium.screenshot(shots.resolve("quire-page-expanded.png"));
        assertTrue(text.contains("victim") && text.contains("upstream 'fails' failed"), "skipped dependent shown");
    }

    @Test
    void rejectedJobIdPayloadIsHarmlessInTheConsole() throws Exception {
        chromium.open(hudson.url() + "/job/xss-invalid/1/console");
        String text = chromium.driver().findElement(By.tagName("body")).getText();
        chromium.screenshot(shots.resolve("console-invalid.png"));
        assertEquals("undefined", chromium.pwnedState(), "a payload executed on the invalid build's console");
        assertTrue(text.contains("<img src=x onerror=window.__quirePwned=1>"), "the bad id is shown as text:\n" + text);
        assertEquals(List.of(), docker.containersOf(hudson.owner()), "no container started or left");
    }
}
