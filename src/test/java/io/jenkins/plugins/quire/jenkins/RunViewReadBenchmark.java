package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prints how long the Quire CI page's model takes to read job logs of growing size (no timing asserted). */
@Tag("benchmark")
class RunViewReadBenchmark {
    @TempDir
    Path logs;

    @Test
    void readTimeForJobLogsOfOneToFortyMegabytes() throws Exception {
        QuireRunFixtures.write(logs.resolve("log.jsonl"),
                "{\"ts\":\"2026-11-29T20:00:00.100Z\",\"kind\":\"job-start\",\"job\":\"big\"}");
        Files.createDirectories(logs.resolve("jobs/big"));
        String line = "{\"ts\":\"2026-11-29T20:00:00.300Z\",\"kind\":\"stdout\",\"n\":1,\"data\":\"" + "y".repeat(4000) + "\\n\"}\n";
        for (int mb : new int[] {1, 10, 40}) {
            int lines = mb * (1 << 20) / line.length();
            try (BufferedWriter w = Files.newBufferedWriter(logs.resolve("jobs/big/log.jsonl"), StandardCharsets.UTF_8)) {
                w.write("{\"ts\":\"2026-11-29T20:00:00.200Z\",\"kind\":\"sh-start\",\"n\":1,\"cmd\":\"yes\"}\n");
                for (int i = 0; i < lines; i++) w.write(line);
            }
            RunView.read(logs, true); // warm-up
            long t0 = System.nanoTime();
            int rounds = 3;
            for (int r = 0; r < rounds; r++) {
                RunView v = RunView.read(logs, true);
                assertEquals(1, v.getJobs().get(0).getShBlocks().size());
            }
            double ms = (System.nanoTime() - t0) / 1e6 / rounds;
            System.out.printf("RunView.read, job log %d MiB (%d chunks): %.1f ms%n", mb, lines, ms);
        }
    }
}
