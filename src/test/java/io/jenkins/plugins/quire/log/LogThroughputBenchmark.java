package io.jenkins.plugins.quire.log;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log throughput: 200 MB of stdout in 64 KiB chunks through redaction (a few secrets registered, some present in
 * the text), UTF-8 handling and JSONL writing to disk. Prints MB/s and peak heap; asserts no times.
 */
@Tag("benchmark")
class LogThroughputBenchmark {
    @TempDir
    Path dir;

    @Test
    void stdoutThroughRedactionUtf8AndJsonlToDisk() throws Exception {
        int chunk = 64 * 1024;
        long total = 200L * 1024 * 1024;
        byte[][] chunks = new byte[8][];
        Random r = new Random(7);
        String words = "the quick brown fox jumps over the lazy dog é € hunter2-secret-value 0123456789 ";
        for (int c = 0; c < chunks.length; c++) {
            StringBuilder sb = new StringBuilder();
            while (sb.length() < chunk) {
                int len = 20 + r.nextInt(100);
                for (int i = 0; i < len; i++) sb.append(words.charAt(r.nextInt(words.length())));
                if (r.nextInt(50) == 0) sb.append("hunter2-secret-value");
                sb.append('\n');
            }
            chunks[c] = java.util.Arrays.copyOf(sb.toString().getBytes(StandardCharsets.UTF_8), chunk); // cuts characters
        }
        for (boolean withSecrets : new boolean[] {false, true}) {
            Redactor red = new Redactor();
            if (withSecrets) {
                red.add("tok", "hunter2-secret-value");
                red.add("pw", "s3cr3t!");
                red.add("one", "§");
            }
            System.gc();
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long written = 0;
            try (RunLog log = RunLog.open(dir.resolve(withSecrets ? "with" : "without"), red)) {
                JobLog job = log.job("bench");
                job.shStart(1, "cat big");
                int i = 0;
                while (written < total) {
                    byte[] b = chunks[i++ % chunks.length];
                    job.stdout(1, b, 0, b.length);
                    written += b.length;
                }
                job.shExit(1, 0, 1, null);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            double cpuSecs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            long peak = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
                if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
            Path file = dir.resolve((withSecrets ? "with" : "without") + "/jobs/bench/log.jsonl");
            System.out.printf(Locale.ROOT,
                    "log throughput (%s secrets): %d MB stdout in %.2f s = %.1f MB/s wall, %.1f MB/s per CPU second;"
                            + " JSONL %d MB; peak heap (garbage included) %d MB%n",
                    withSecrets ? "3" : "no", written >> 20, secs, (written / 1048576.0) / secs,
                    (written / 1048576.0) / cpuSecs,
                    Files.size(file) >> 20, peak >> 20);
            Files.delete(file);
        }
    }
}
