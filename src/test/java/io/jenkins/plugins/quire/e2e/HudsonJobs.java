package io.jenkins.plugins.quire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The HTTP side of a job on a running {@link HudsonServer}, as a user or script drives it (Hudson 1.395's HTTP
 * recipes): create from config.xml, put a file in the workspace, trigger a build, wait for it, read its console,
 * Quire CI page and artifacts, press the stop button. Every call checks the HTTP status so a failing request names
 * itself instead of surfacing later as a confusing assertion.
 */
final class HudsonJobs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HudsonServer hudson;

    HudsonJobs(HudsonServer hudson) {
        this.hudson = hudson;
    }

    /** {@code POST /createItem?name=NAME} with the job's config.xml. */
    void create(String name, String configXml) throws IOException, InterruptedException {
        HttpResponse<String> r = hudson.post("/createItem?name=" + enc(name), "application/xml", configXml);
        assertEquals(200, r.statusCode(), "createItem " + name + ": " + r.body());
    }

    /** The job's workspace folder on the built-in node: {@code <home>/jobs/NAME/workspace}. */
    Path workspace(String name) {
        return hudson.home().resolve("jobs").resolve(name).resolve("workspace");
    }

    /** Writes a file into the job's workspace before a build (as a checkout would). */
    void writeWorkspaceFile(String name, String relative, String content) throws IOException {
        Path f = workspace(name).resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, StandardCharsets.UTF_8);
    }

    /** Triggers a build without quiet period and returns its number. */
    int trigger(String name) throws IOException, InterruptedException {
        int next = json("/job/" + name + "/api/json").path("nextBuildNumber").asInt();
        HttpResponse<String> r = hudson.post("/job/" + name + "/build?delay=0sec", "application/x-www-form-urlencoded", "");
        if (r.statusCode() != 302 && r.statusCode() != 200) fail("build " + name + " answered " + r.statusCode());
        return next;
    }

    /** Waits until build N exists and has finished; returns its {@code api/json}. */
    JsonNode awaitFinished(String name, int n, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = hudson.get("/job/" + name + "/" + n + "/api/json");
            if (r.statusCode() == 200) {
                JsonNode b = JSON.readTree(r.body());
                if (!b.path("building").asBoolean(true)) return b;
            }
            Thread.sleep(200);
        }
        fail("build " + name + " #" + n + " did not finish within " + timeout + "; console:\n" + consoleText(name, n));
        return null;
    }

    /** Waits until build N's plain console contains {@code text} (the build is then known to be at that point). */
    void awaitConsole(String name, int n, String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = hudson.get("/job/" + name + "/" + n + "/consoleText");
            if (r.statusCode() == 200) {
                last = r.body();
                if (last.contains(text)) return;
                if (last.contains("\nFinished: ")) break;
            }
            Thread.sleep(100);
        }
        fail("build " + name + " #" + n + " console never showed '" + text + "'; it reads:\n" + last);
    }

    String consoleText(String name, int n) throws IOException, InterruptedException {
        return ok("/job/" + name + "/" + n + "/consoleText");
    }

    String consoleHtml(String name, int n) throws IOException, InterruptedException {
        return ok("/job/" + name + "/" + n + "/console");
    }

    String quirePage(String name, int n) throws IOException, InterruptedException {
        return ok("/job/" + name + "/" + n + "/quire/");
    }

    /** {@code GET path}, asserting 200. */
    String ok(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = hudson.get(path);
        assertEquals(200, r.statusCode(), "GET " + path + " answered " + r.statusCode() + ": " + abbreviate(r.body()));
        return r.body();
    }

    JsonNode json(String path) throws IOException, InterruptedException {
        return JSON.readTree(ok(path));
    }

    /** The build's folder on disk ({@code <home>/jobs/NAME/builds/N}, a symlink to the dated folder in 1.395). */
    Path buildDir(String name, int n) {
        return hudson.home().resolve("jobs").resolve(name).resolve("builds").resolve(Integer.toString(n));
    }

    /** {@code POST /job/NAME/N/stop}: the build page's stop button. */
    int stop(String name, int n) throws IOException, InterruptedException {
        return hudson.post("/job/" + name + "/" + n + "/stop", "application/x-www-form-urlencoded", "").statusCode();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String abbreviate(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000) + "...";
    }
}
