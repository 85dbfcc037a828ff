package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.CacheVolume;
import io.jenkins.plugins.quire.container.DockerEngineExtension;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.log.RunStatus;
import io.jenkins.plugins.quire.run.CacheOwners;
import io.jenkins.plugins.quire.run.PipelineRunner;
import io.jenkins.plugins.quire.run.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quire-ci cache list|clear} against the real dockerd, on the caches a run in a temporary workspace made (their
 * owner key is that workspace's path, so only this test's volumes are listed and removed).
 */
@Timeout(180)
class CacheCommandIT {
    private static final String OWNER = "quire-test-cache-cli";

    @RegisterExtension
    static final DockerEngineExtension DOCKER = new DockerEngineExtension(OWNER);

    @TempDir Path ws;

    @AfterEach
    void removeOurVolumes() {
        for (CacheVolume v : DOCKER.engine().cacheVolumes(CacheOwners.workspace(ws))) DOCKER.engine().removeCacheVolume(v.volume());
    }

    @Test
    void listShowsTheRunsCachesWithTheirSizesAndClearRemovesOneThenAll() throws Exception {
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), "(local ci (require :quire.ci))\n(ci.cache \"/cache/a\")\n"
                + "(ci.cache \"/cache/b\")\n(ci.job :j [:quire/push] (fn [{: sh}] (sh \"dd if=/dev/zero of=/cache/a/x bs=1024 count=1024 && touch /cache/b/y\") {}))\n");
        assertEquals(RunStatus.SUCCESS, new PipelineRunner(RunOptions.builder(ws).imageOverride(DockerTestSupport.BUSYBOX)
                .owner(OWNER).logsDir(ws.resolve("logs")).build(), List.of()).run().status());

        CliRun list = CliRun.of("cache", "list", "--workspace", ws.toString());
        assertEquals(0, list.exit(), list.err());
        List<String> lines = list.out().lines().toList();
        assertEquals(2, lines.size(), list.out());
        // /cache/a holds the 1 MiB file the run wrote (1.05 MB), /cache/b an empty one
        assertTrue(lines.get(0).matches("/cache/a  quire-cache-[0-9a-f]{32}  size 1\\.\\d MB  created \\d{4}-.*"), lines.get(0));
        assertTrue(lines.get(1).matches("/cache/b  quire-cache-[0-9a-f]{32}  size 0 B  created .*"), lines.get(1));
        Long measured = DOCKER.engine().cacheVolumes(CacheOwners.workspace(ws)).get(0).size();
        assertTrue(measured != null && measured >= 1024 * 1024, "size of /cache/a: " + measured);

        CliRun unknown = CliRun.of("cache", "clear", "--workspace", ws.toString(), "/cache/c");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("no cache '/cache/c' for workspace"), unknown.err());

        CliRun one = CliRun.of("cache", "clear", "--workspace", ws.toString(), "/cache/a/");
        assertEquals(0, one.exit(), one.err());
        assertTrue(one.out().startsWith("removed /cache/a (quire-cache-"), one.out());
        assertEquals(List.of("/cache/b"), DOCKER.engine().cacheVolumes(CacheOwners.workspace(ws)).stream().map(CacheVolume::path).toList());

        CliRun all = CliRun.of("cache", "clear", "--workspace", ws.toString());
        assertEquals(0, all.exit(), all.err());
        assertTrue(all.out().startsWith("removed /cache/b"), all.out());
        CliRun empty = CliRun.of("cache", "list", "--workspace", ws.toString());
        assertEquals("No caches for workspace " + CacheOwners.workspace(ws) + ".\n", empty.out());
    }
}
