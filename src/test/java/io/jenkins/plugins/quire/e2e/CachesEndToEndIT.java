package io.jenkins.plugins.quire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.quire.container.CacheVolume;
import io.jenkins.plugins.quire.container.DockerEngine;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job's cache in the real hudson.war 1.395 with the built plugin and a real dockerd: a second build sees what the
 * first wrote, the job's "Quire CI caches" page lists the cache and clears it, and deleting the job removes its
 * volumes. The job's name is random; its volumes are removed at the end whatever happened.
 */
class CachesEndToEndIT {
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(3);
    private static final String CI = "(local ci (require :quire.ci))\n(ci.cache \"~/.cache/e2e\")\n"
            + "(ci.job :w [:quire/push] (fn [{: sh}] (sh \"if [ -f ~/.cache/e2e/stamp ]; then echo cache-hit;"
            + " else echo cache-miss; echo x > ~/.cache/e2e/stamp; fi\") {}))\n";
    private static final String NAME = "cached-" + UUID.randomUUID().toString().substring(0, 8);

    private static HudsonServer hudson;
    private static HudsonJobs jobs;
    private static DockerEngine docker;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerTestSupport.engine();
        hudson = HudsonServer.startWithPlugin("quire-caches");
        jobs = new HudsonJobs(hudson);
    }

    @AfterAll
    static void stop() {
        try {
            for (CacheVolume v : volumes()) docker.removeCacheVolume(v.volume());
        } finally {
            if (hudson != null) hudson.close();
            if (docker != null) docker.close();
        }
    }

    private static List<CacheVolume> volumes() {
        return docker.cacheVolumes(null).stream().filter(v -> v.owner().endsWith(" " + NAME)).toList();
    }

    private static String build(String expect) throws Exception {
        int n = jobs.trigger(NAME);
        JsonNode b = jobs.awaitFinished(NAME, n, BUILD_TIMEOUT);
        String text = jobs.consoleText(NAME, n);
        assertEquals("SUCCESS", b.path("result").asText(), text);
        assertTrue(text.contains(expect), text);
        return text;
    }

    @Test
    void aCacheOutlivesTheBuildIsListedClearedAndGoesWithTheJob() throws Exception {
        jobs.create(NAME, new FreestyleJobXml().quire(".quire/ci.fnl", DockerTestSupport.BUSYBOX, 5).xml());
        jobs.writeWorkspaceFile(NAME, ".quire/ci.fnl", CI);
        String first = build("cache-miss");
        assertTrue(first.contains("cache ~/.cache/e2e: new volume quire-cache-"), first);
        String second = build("cache-hit");
        assertTrue(second.contains("cache ~/.cache/e2e: reused volume quire-cache-"), second);
        assertEquals(List.of("~/.cache/e2e"), volumes().stream().map(CacheVolume::path).toList());

        String page = jobs.ok("/job/" + NAME + "/quire-caches/");
        assertTrue(page.contains("Quire CI caches") && page.contains("~/.cache/e2e"), HudsonJobs.abbreviate(page));
        assertEquals(405, hudson.get("/job/" + NAME + "/quire-caches/clear").statusCode(), "a GET does not clear");
        int cleared = hudson.post("/job/" + NAME + "/quire-caches/clear", "application/x-www-form-urlencoded", "").statusCode();
        assertTrue(cleared == 200 || cleared == 302, "clear answered " + cleared);
        assertEquals(List.of(), volumes());
        build("cache-miss");
        assertEquals(1, volumes().size());

        int deleted = hudson.post("/job/" + NAME + "/doDelete", "application/x-www-form-urlencoded", "").statusCode();
        assertTrue(deleted == 200 || deleted == 302, "delete answered " + deleted);
        assertEquals(List.of(), volumes(), "deleting the job removes its cache volumes");
        DockerTestSupport.assertNoContainersLeft(docker, hudson.owner());
    }
}
