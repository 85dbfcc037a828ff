package io.jenkins.plugins.quire.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.quire.container.CacheVolume;
import io.jenkins.plugins.quire.container.DockerEngine;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.run.CacheOwners;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (prints figures, asserts no time) of a cache through the packaged runner: two builds of one workspace;
 * the first fills {@code ~/.cache/gen} with 20 MB of generated files (standing in for a download), the second finds
 * them there. Printed: each build's job time (its {@code job-start} to {@code job-end}) and wall time. The volume is
 * removed afterwards.
 */
@Tag("benchmark")
class CacheBenchmarkIT {
    private static final String FNL = String.join("\n",
            "(local ci (require :quire.ci))",
            "(ci.cache \"~/.cache/gen\")",
            "(ci.job :deps [:quire/push] (fn [{: sh}]",
            "  (let [r (sh \"if [ -f ~/.cache/gen/done ]; then echo reused; else i=0; while [ $i -lt 200 ]; do"
                    + " head -c 102400 /dev/urandom > ~/.cache/gen/f$i || exit 1; i=$((i+1)); done;"
                    + " touch ~/.cache/gen/done; echo filled; fi; du -sk ~/.cache/gen\")]",
            "    (when (= 0 r.exit) {:said r.stdout}))))",
            "");

    private static long jobMs(Path ws) throws Exception {
        long start = 0;
        long end = 0;
        for (JsonNode e : CliBench.events(ws.resolve("logs/log.jsonl"))) {
            if (!e.has("job") || !e.get("job").textValue().equals("deps")) continue;
            if (e.get("kind").textValue().equals("job-start")) start = CliBench.ts(e);
            if (e.get("kind").textValue().equals("job-end")) end = CliBench.ts(e);
        }
        return end - start;
    }

    @Test
    void aSecondBuildReusesWhatTheFirstPutInTheCache() throws Exception {
        Path ws = CliBench.workspace(FNL);
        try {
            long wall1 = CliBench.runCli(ws, List.of(), List.of());
            long job1 = jobMs(ws);
            Files.move(ws.resolve("logs"), ws.resolve("logs-build-1"));
            long wall2 = CliBench.runCli(ws, List.of(), List.of());
            long job2 = jobMs(ws);
            System.out.printf("BENCH cache ~/.cache/gen, 20 MB of generated files: build 1 (fills a new volume) job %d ms,"
                    + " run %d ms; build 2 (reuses it) job %d ms, run %d ms%n", job1, wall1, job2, wall2);
        } finally {
            try (DockerEngine engine = DockerTestSupport.engine()) {
                for (CacheVolume v : engine.cacheVolumes(CacheOwners.workspace(ws))) engine.removeCacheVolume(v.volume());
            }
        }
    }
}
