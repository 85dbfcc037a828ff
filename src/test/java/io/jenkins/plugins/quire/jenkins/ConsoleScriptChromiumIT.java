package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hudson.MarkupText;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the console's {@code script.js} and {@code style.css} in headless Chromium on the annotated sample console:
 * clicking a {@code $} line folds its output up to the exit line, clicking a job header folds the job up to its
 * end line (its whole line, column included, stays shown), a second click unfolds, and the text is never changed;
 * each job's column has its own colour. Skipped when no Chromium is installed.
 */
class ConsoleScriptChromiumIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** Test driver run after script.js: clicks, then writes what it saw into #result. */
    private static final String DRIVER = String.join("\n",
            "function click(el) { var e = document.createEvent('MouseEvents'); e.initEvent('click', true, true);",
            "  el.dispatchEvent(e); }",
            "function shown() { return document.getElementById('log').innerText; }",
            "var out = [], before = document.getElementById('log').textContent;",
            "function colour(sel) { return getComputedStyle(document.querySelector(sel)).color; }",
            "out.push('jobColoursDiffer=' + (colour('.quire-c0') !== colour('.quire-c1')",
            "  && colour('.quire-c0') !== colour('#log')));",
            "var cmd = document.querySelector('.quire-cmd');",
            "click(cmd);",
            "out.push('cmdBody=' + document.querySelectorAll('.quire-body.quire-folded').length);",
            "out.push('cmdFoldedShowsCompiling=' + (shown().indexOf('compiling') >= 0));",
            "out.push('cmdFoldedShowsExit=' + (shown().indexOf('build  | exit 0 (1234 ms)') >= 0));",
            "out.push('headerClosed=' + (cmd.className.indexOf('quire-closed') >= 0));",
            "click(cmd);",
            "out.push('cmdUnfoldedShowsCompiling=' + (shown().indexOf('compiling') >= 0));",
            "var job = document.querySelectorAll('.quire-job')[1];",
            "click(job);",
            "out.push('jobFoldedShowsNotOk=' + (shown().indexOf('not ok 2') >= 0));",
            "out.push('jobFoldedShowsEnd=' + (shown().indexOf('<== job test failed') >= 0));",
            "out.push('jobFoldedShowsNextJob=' + (shown().indexOf('<== job deploy skipped') >= 0));",
            "click(job);",
            "out.push('textUnchanged=' + (document.getElementById('log').textContent === before));",
            "var r = document.createElement('pre'); r.id = 'result'; r.textContent = out.join(';');",
            "document.body.appendChild(r);");

    @TempDir
    Path dir;

    @Test
    void clickingHeadersFoldsAndUnfoldsTheirBlocksInChromium() throws Exception {
        assertFolding(1000);
    }

    /** A running build's console arrives in pieces; Hudson 1.395 appends each as its own {@code <pre>}. */
    @Test
    void foldingWorksAcrossTheChunksOfALiveConsole() throws Exception {
        assertFolding(3);
    }

    private void assertFolding(int linesPerChunk) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "headless Chromium not installed");
        StringBuilder log = new StringBuilder("<pre>");
        int n = 0;
        for (String line : ConsoleAnnotatorTest.sampleLogLines()) {
            MarkupText mt = new MarkupText(line);
            new QuireConsoleAnnotator().annotate(null, mt);
            log.append(mt.toString(true));
            if (++n % linesPerChunk == 0) log.append("</pre><pre>");
        }
        log.append("</pre>");
        Files.writeString(dir.resolve("style.css"), resource("style.css"));
        Files.writeString(dir.resolve("script.js"), resource("script.js"));
        Files.writeString(dir.resolve("driver.js"), DRIVER);
        Files.writeString(dir.resolve("page.html"), "<!DOCTYPE html><html><head><meta charset='utf-8'>"
                + "<link rel='stylesheet' href='style.css'></head><body><div id='log'>" + log
                + "</div><script src='script.js'></script><script src='driver.js'></script></body></html>");

        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--disable-gpu", "--no-sandbox",
                "--user-data-dir=" + dir.resolve("profile"), "--allow-file-access-from-files", "--dump-dom",
                dir.resolve("page.html").toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom;
        try (InputStream in = p.getInputStream()) {
            dom = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium finished");
        int at = dom.indexOf("<pre id=\"result\">");
        assertTrue(at >= 0, "the driver ran: " + dom.substring(Math.max(0, dom.length() - 500)));
        String result = dom.substring(at + 17, dom.indexOf("</pre>", at));
        assertEquals("jobColoursDiffer=true;cmdBody=1;cmdFoldedShowsCompiling=false;cmdFoldedShowsExit=true;headerClosed=true;"
                + "cmdUnfoldedShowsCompiling=true;jobFoldedShowsNotOk=false;jobFoldedShowsEnd=true;"
                + "jobFoldedShowsNextJob=true;textUnchanged=true", result);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = QuireConsoleAnnotatorFactory.class.getResourceAsStream("QuireConsoleAnnotatorFactory/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
