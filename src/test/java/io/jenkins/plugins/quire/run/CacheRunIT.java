package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.CacheVolume;
import io.jenkins.plugins.quire.container.DockerEngineExtension;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.log.JsonlReader;
import io.jenkins.plugins.quire.log.LogEvent;
import io.jenkins.plugins.quire.log.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code (ci.cache path)} against the real dockerd: a cache outlives the run for the same owner and only for it, a
 * non-root uid can write into a fresh cache in its HOME, a missing volume is made again, and two runs of one owner
 * at once share the volume. Every volume made here has a test-only owner key and is removed after the class.
 */
@Timeout(300)
class CacheRunIT {
    private static final String OWNER = "quire-test-cache";
    private static final String KEY = "quire-test-cache-" + UUID.randomUUID() + " ";

    @RegisterExtension
    static final DockerEngineExtension DOCKER = new DockerEngineExtension(OWNER);

    @TempDir Path ws;

    @AfterAll
    static void removeOurVolumes() {
        for (CacheVolume v : DOCKER.engine().cacheVolumes(null)) {
            if (v.owner().startsWith(KEY)) DOCKER.engine().removeCacheVolume(v.volume());
        }
    }

    private RunOptions.Builder options(Path workspace, String owner, String image) {
        return RunOptions.builder(workspace).imageOverride(image).owner(OWNER).logsDir(workspace.resolve("logs"))
                .cacheOwner(KEY + owner);
    }

    private static void write(Path workspace, String... lines) throws Exception {
        Files.createDirectories(workspace.resolve(".quire"));
        Files.writeString(workspace.resolve(".quire/ci.fnl"), "(local ci (require :quire.ci))\n" + String.join("\n", lines));
    }

    private static RunResult run(RunOptions.Builder b) throws Exception {
        return new PipelineRunner(b.build(), List.of()).run();
    }

    private static List<LogEvent.CacheMount> mounts(Path workspace) throws Exception {
        List<LogEvent.CacheMount> out = new ArrayList<>();
        for (LogEvent e : JsonlReader.readAll(workspace.resolve("logs/log.jsonl"))) if (e instanceof LogEvent.CacheMount c) out.add(c);
        return out;
    }

    private static String output(RunResult r, String job, String key) {
        return r.jobs().stream().filter(j -> j.id().equals(job)).findFirst().orElseThrow().outputs().get(key).asText();
    }

    private static final String[] COUNTER = {
        "(ci.cache \"/cache/c/\")",
        "(ci.job :count [:quire/push] (fn [{: sh}]",
        "  (let [r (sh \"n=$(cat /cache/c/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /cache/c/n; echo $n\")]",
        "    (when (= 0 r.exit) {:n (r.stdout:gsub \"%s\" \"\")}))))"};

    @Test
    void aSecondRunOfTheSameOwnerSeesTheFirstRunsFilesAndAnotherOwnerDoesNot() throws Exception {
        write(ws, COUNTER);
        RunResult first = run(options(ws, "a", DockerTestSupport.BUSYBOX));
        assertEquals(RunStatus.SUCCESS, first.status());
        assertEquals("1", output(first, "count", "n"));
        List<LogEvent.CacheMount> m1 = mounts(ws);
        assertEquals(1, m1.size());
        assertEquals("/cache/c", m1.get(0).path());
        assertTrue(m1.get(0).created());
        assertTrue(m1.get(0).volume().matches("quire-cache-[0-9a-f]{32}"), m1.get(0).volume());

        RunResult second = run(options(ws, "a", DockerTestSupport.BUSYBOX).logsDir(ws.resolve("logs2")));
        assertEquals("2", output(second, "count", "n"));
        List<LogEvent.CacheMount> m2 = new ArrayList<>();
        for (LogEvent e : JsonlReader.readAll(ws.resolve("logs2/log.jsonl"))) if (e instanceof LogEvent.CacheMount c) m2.add(c);
        assertFalse(m2.get(0).created());
        assertEquals(m1.get(0).volume(), m2.get(0).volume());

        RunResult other = run(options(ws, "b", DockerTestSupport.BUSYBOX).logsDir(ws.resolve("logs3")));
        assertEquals("1", output(other, "count", "n"));

        List<CacheVolume> listed = DOCKER.engine().cacheVolumes(KEY + "a");
        assertEquals(1, listed.size());
        assertEquals("/cache/c", listed.get(0).path());
        assertFalse(listed.get(0).created().isEmpty());
    }

    @Test
    void aMissingVolumeIsMadeAgainAndTheRunSucceeds() throws Exception {
        write(ws, COUNTER);
        assertEquals("1", output(run(options(ws, "gone", DockerTestSupport.BUSYBOX)), "count", "n"));
        for (CacheVolume v : DOCKER.engine().cacheVolumes(KEY + "gone")) assertTrue(DOCKER.engine().removeCacheVolume(v.volume()));
        RunResult again = run(options(ws, "gone", DockerTestSupport.BUSYBOX).logsDir(ws.resolve("logs2")));
        assertEquals(RunStatus.SUCCESS, again.status());
        assertEquals("1", output(again, "count", "n"));
    }

    @Test
    void aUidTheImageDoesNotKnowGetsAWritableHomeAndCanWriteIntoAFreshCacheThere() throws Exception {
        write(ws, "(ci.cache \"~/.cache/pip\")",
                "(ci.job :w [:quire/push] (fn [{: sh}]",
                "  (let [r (sh \"set -e; echo $HOME; id -u; touch ~/.cache/pip/f ~/.cache/other ~/top; stat -c %u ~/.cache/pip\")]",
                "    {:exit r.exit :out r.stdout :err r.stderr})))");
        RunResult r = run(options(ws, "uid", DockerTestSupport.DEBIAN).execUser("1234:1234"));
        String out = output(r, "w", "out");
        assertEquals("0", output(r, "w", "exit"), out + output(r, "w", "err"));
        assertEquals(List.of("/home/quire", "1234", "1234"), out.lines().toList());
        assertEquals("/home/quire/.cache/pip", mounts(ws).get(0).mount());
    }

    @Test
    void rootGetsItsPasswdHomeAndEveryShGetsAHomeWithoutCaches() throws Exception {
        write(ws, "(ci.job :h [:quire/push] (fn [{: sh}]",
                "  (let [r (sh \"echo $HOME\") o (sh \"echo $HOME\" {:env {:HOME \"/x\"}})]",
                "    {:home (r.stdout:gsub \"%s\" \"\") :over (o.stdout:gsub \"%s\" \"\")})))");
        RunResult root = run(options(ws, "home", DockerTestSupport.DEBIAN).execUser("0:0"));
        assertEquals("/root", output(root, "h", "home"));
        assertEquals("/x", output(root, "h", "over"));
        RunResult other = run(options(ws, "home", DockerTestSupport.BUSYBOX).execUser("4321:4321").logsDir(ws.resolve("l2")));
        assertEquals("/home/quire", output(other, "h", "home"));
    }

    /**
     * A volume whose mount point an earlier run left to another owner (there root: a first run that ended before the
     * chown leaves it the same way) is given to the next run's exec user: the cache never stays unwritable.
     */
    @Test
    void aCacheAnotherUserOwnedIsWritableForTheNextRunsUser() throws Exception {
        write(ws, "(ci.cache \"/cache/owned\")",
                "(ci.job :w [:quire/push] (fn [{: sh}]",
                "  (let [r (sh \"touch /cache/owned/by-$(id -u) && ls /cache/owned | tr '\\\\n' ' '\")]",
                "    {:exit r.exit :out r.stdout :err r.stderr})))");
        RunResult asRoot = run(options(ws, "owners", DockerTestSupport.BUSYBOX).execUser("0:0"));
        assertEquals("0", output(asRoot, "w", "exit"), output(asRoot, "w", "err"));
        RunResult asUser = run(options(ws, "owners", DockerTestSupport.BUSYBOX).execUser("1234:1234").logsDir(ws.resolve("l2")));
        assertEquals("0", output(asUser, "w", "exit"), output(asUser, "w", "err"));
        assertEquals("by-0 by-1234", output(asUser, "w", "out").strip());
    }

    /** A passwd home the image names but does not have (Debian's nobody: /nonexistent) is made for the exec user. */
    @Test
    void aHomeTheImageNamesButDoesNotHaveIsMadeWritable() throws Exception {
        write(ws, "(ci.job :h [:quire/push] (fn [{: sh}]",
                "  (let [r (sh \"echo $HOME; touch ~/f && echo wrote\")]",
                "    {:exit r.exit :out r.stdout :err r.stderr})))");
        RunResult r = run(options(ws, "nohome", DockerTestSupport.DEBIAN).execUser("65534:65534"));
        assertEquals("0", output(r, "h", "exit"), output(r, "h", "err"));
        assertEquals(List.of("/nonexistent", "wrote"), output(r, "h", "out").lines().toList());
    }

    /** Two caches that land on one mount point once HOME is known are refused before any volume is made. */
    @Test
    void twoCachesOnOneMountPointAreRefusedNamingBoth() throws Exception {
        write(ws, "(ci.cache \"~/x\")", "(ci.cache \"/home/quire/x\")",
                "(ci.job :h [:quire/push] (fn [{: sh}] (sh \"true\") {}))");
        RunSetupException e = org.junit.jupiter.api.Assertions.assertThrows(RunSetupException.class,
                () -> run(options(ws, "twice", DockerTestSupport.BUSYBOX).execUser("1234:1234")));
        assertTrue(e.getMessage().contains("caches '~/x' and '/home/quire/x' would both be mounted at /home/quire/x"
                + " (HOME is /home/quire for the exec user): declare it once"), e.getMessage());
        assertEquals(List.of(), DOCKER.engine().cacheVolumes(KEY + "twice"));
    }

    @Test
    void twoRunsOfOneOwnerAtOnceBothSucceedAndShareTheVolume(@TempDir Path ws2) throws Exception {
        String[] appender = {
            "(ci.cache \"/cache/common\")",
            "(ci.job :add [:quire/push] (fn [{: sh}]",
            "  (let [r (sh \"echo $$ >> /cache/common/runs; sleep 1; wc -l < /cache/common/runs\")]",
            "    (when (= 0 r.exit) {:lines (r.stdout:gsub \"%s\" \"\")}))))"};
        write(ws, appender);
        write(ws2, appender);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<RunResult> a = pool.submit(() -> run(options(ws, "both", DockerTestSupport.BUSYBOX)));
            Future<RunResult> b = pool.submit(() -> run(options(ws2, "both", DockerTestSupport.BUSYBOX)));
            RunResult ra = a.get(), rb = b.get();
            assertEquals(RunStatus.SUCCESS, ra.status());
            assertEquals(RunStatus.SUCCESS, rb.status());
            assertEquals(mounts(ws).get(0).volume(), mounts(ws2).get(0).volume());
        } finally {
            pool.shutdown();
        }
        RunResult third = run(options(ws, "both", DockerTestSupport.BUSYBOX).logsDir(ws.resolve("l3")));
        assertEquals("3", output(third, "add", "lines"));
    }
}
