package io.jenkins.plugins.quire.jenkins;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.jenkins.plugins.quire.e2e.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The job graph and timeline of the Quire CI page in real headless Chromium, on a real build of the test harness
 * (Hudson 1.395, Docker, {@code quire-test:busybox}): a diamond whose {@code lint} branch fails (so {@code package}
 * is skipped) beside a fan-out of six shards joined by {@code report}. The graph has one node per job coloured as
 * the job list says, the timeline a bar per job that ran; script payloads in a command, an output line and an error
 * stay text; the page logs no console error. Also saves the page's screenshot: {@code target/screenshots/run-page.png},
 * and {@code docs/images/run-page.png} when run with {@code -Dquire.screenshot.docs=true} (docs/architecture.md).
 */
public class RunPageChromiumIT extends LoopbackHudsonTestCase {
    static final String TAG = "<script>window.__quirePwned=1</script>";
    static final String ATTR = "\"><img src=x onerror=\"window.__quirePwned=1\">";

    static final String PIPELINE = String.join("\n",
            "(local ci (require :quire.ci))",
            "(ci.image \"quire-test:busybox\")",
            "(local tag \"<script>window.__quirePwned=1</script>\")",
            "(local attr \"\\\"><img src=x onerror=\\\"window.__quirePwned=1\\\">\")",
            "(ci.job :build [:quire/push]",
            "  (fn [{: sh}] (sh \"echo compiling; sleep 0.4; echo done\") {:artifact \"app.tar\"}))",
            "(ci.job :unit [:build] (fn [{: sh}] (sh \"echo unit tests; sleep 0.3\") {:passed 42}))",
            "(ci.job :lint [:build]",
            "  (fn [{: sh}]",
            "    (sh (.. \"echo '\" attr \"'; echo '\" tag \"' >&2; sleep 0.2; exit 3\"))",
            "    (error (.. \"lint found 3 problems \" attr))))",
            "(ci.job :package [:unit :lint] (fn [{: sh}] (sh \"echo packaging\") {}))",
            "(each [_ n (ipairs [1 2 3 4 5 6])]",
            "  (ci.job (.. \"shard-\" n) [:build]",
            "    (fn [{: sh}] (sh (.. \"echo shard \" n \"; sleep 0.2\")) (sh \"echo checked\") {:shard n})))",
            "(ci.job :report [:shard-1 :shard-2 :shard-3 :shard-4 :shard-5 :shard-6]",
            "  (fn [{: sh}] (sh \"echo all shards passed\") {}))",
            "");

    static final List<String> JOBS = List.of("build", "lint", "package", "report", "shard-1", "shard-2", "shard-3",
            "shard-4", "shard-5", "shard-6", "unit");

    public void testGraphAndTimelineShowTheRunAndKeepPayloadsAsText() throws Exception {
        FreeStyleProject p = createFreeStyleProject("run-page");
        p.getBuildersList().add(new WriteWorkspaceFile(".quire/ci.fnl", PIPELINE));
        p.getBuildersList().add(new QuireBuilder("", "", "5", new ArrayList<>()));
        FreeStyleBuild b = p.scheduleBuild2(0).get(3, TimeUnit.MINUTES);
        assertEquals(getLog(b), Result.FAILURE, b.getResult());

        Path target = Path.of(System.getProperty("quire.target.dir"));
        try (HeadlessChromium chromium = new HeadlessChromium(target.resolve("run-page-chrome-profile"))) {
            chromium.open(getURL() + b.getUrl() + "quire/");
            assertEquals("a payload executed on the Quire CI page", "undefined", chromium.pwnedState());

            // the graph (its own SVG document, framed): one node per job plus the source, coloured by state
            var driver = chromium.driver();
            driver.switchTo().frame("quire-graph-frame");
            List<WebElement> nodes = driver.findElements(By.cssSelector("#quire-graph g[data-kind~=\"quire-node\"]"));
            Map<String, String> nodeStates = new TreeMap<>();
            Map<String, String> fills = new TreeMap<>();
            for (WebElement n : nodes) {
                String id = n.getAttribute("data-job");
                assertNull("one node per job: " + id, nodeStates.put(id, n.getAttribute("data-state")));
                fills.put(id, n.findElement(By.tagName("rect")).getCssValue("fill"));
            }
            assertEquals(17, driver.findElements(By.cssSelector("#quire-graph path[data-kind~=\"quire-edge\"]")).size());
            Object lintNode = driver.executeScript("return document.querySelector("
                    + "'g[data-job=\"lint\"] title').textContent");
            assertTrue(String.valueOf(lintNode), String.valueOf(lintNode).contains("lint found 3 problems " + ATTR));
            assertNoInjectedElements(driver, "#quire-graph");
            driver.switchTo().defaultContent();
            assertEquals(12, nodes.size());
            assertEquals("source", nodeStates.remove("quire/push"));
            assertEquals(JOBS, new ArrayList<>(nodeStates.keySet()));
            assertEquals("failed", nodeStates.get("lint"));
            assertEquals("skipped", nodeStates.get("package"));
            assertEquals("succeeded", nodeStates.get("report"));
            for (Map.Entry<String, String> n : nodeStates.entrySet()) {
                String listed = driver.findElement(By.id("job-" + n.getKey())).getAttribute("class");
                assertTrue(n + " in the list too: " + listed, listed.contains("quire-job-" + n.getValue()));
                assertEquals(n + " is drawn in its state's colour", rgb(StateColours.fill(n.getValue())), fills.get(n.getKey()));
            }

            // the timeline: a row per job, a bar for each job that ran (not the skipped one), sh blocks inside
            driver.switchTo().frame("quire-timeline-frame");
            assertEquals(11, driver.findElements(By.cssSelector("#quire-timeline g[data-kind~=\"quire-row\"]")).size());
            assertEquals(10, driver.findElements(By.cssSelector("#quire-timeline rect[data-kind~=\"quire-bar\"]")).size());
            assertEquals(16, driver.findElements(By.cssSelector("#quire-timeline rect[data-kind~=\"quire-span\"]")).size());
            Object lintTitle = driver.executeScript("return document.querySelector("
                    + "'g[data-job=\"lint\"] rect[data-kind~=\"quire-span\"] title').textContent");
            assertTrue(String.valueOf(lintTitle), String.valueOf(lintTitle).contains(TAG));
            assertNoInjectedElements(driver, "#quire-timeline");
            assertEquals("undefined", chromium.pwnedState());
            driver.switchTo().defaultContent();

            // the page itself: the payloads (in the job list) added no element
            assertEquals(0L, driver.executeScript("return document.querySelectorAll('img[src=\"x\"]').length"));
            assertEquals(0L, driver.executeScript("return Array.prototype.filter.call(document.scripts,"
                    + " function (s) { return s.text.indexOf('__quirePwned') >= 0; }).length"));
            List<String> errors = chromium.consoleErrors();
            assertTrue("console errors: " + errors, errors.isEmpty());

            chromium.fitHeight(1500);
            Path png = chromium.screenshot(target.resolve("screenshots/run-page.png"));
            assertTrue("screenshot written: " + png, Files.size(png) > 20_000);
            if (Boolean.getBoolean("quire.screenshot.docs")) {
                Path docs = Path.of(System.getProperty("quire.project.dir"), "docs", "images", "run-page.png");
                Files.createDirectories(docs.getParent());
                Files.copy(png, docs, StandardCopyOption.REPLACE_EXISTING);
                System.out.println("screenshot saved to " + docs);
            }
            assertEquals("a payload executed after the screenshot", "undefined", chromium.pwnedState());
        }
    }

    /** Inside a picture: only SVG shapes, and no script or image the logs could have brought in. */
    private static void assertNoInjectedElements(org.openqa.selenium.chrome.ChromeDriver driver, String root) {
        Object tags = driver.executeScript("var seen = {}; document.querySelectorAll('" + root + ", " + root
                + " *').forEach(function (e) { seen[e.tagName] = 1; }); return Object.keys(seen).sort().join(',');");
        String expected = root.equals("#quire-graph") ? "defs,g,marker,path,rect,svg,text,title" : "g,line,rect,svg,text,title";
        assertEquals(expected, tags);
    }

    /** {@code #dafbe1} as Chromium reports a computed colour: {@code rgb(218, 251, 225)}. */
    private static String rgb(String hex) {
        int v = Integer.parseInt(hex.substring(1), 16);
        return "rgb(" + (v >> 16) + ", " + ((v >> 8) & 0xff) + ", " + (v & 0xff) + ")";
    }
}
