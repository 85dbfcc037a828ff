package io.jenkins.plugins.quire.log;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's side of streaming output, without Docker: 200 MB of 100-character lines (a declared secret now and
 * then) handed over in 64 KiB chunks as the exec stream does ({@link JobLog#outputLater}), into JSONL and the CLI
 * console (to /dev/null), clock stopped when the logs are closed. Prints MB/s and the CPU time of the producing
 * thread and of the whole JVM; asserts no times.
 */
@Tag("benchmark")
class EngineLogPathBenchmark {
    @TempDir
    Path dir;

    @Test
    void outputThroughTheQueueIntoJsonlAndConsole() throws Exception {
        String secret = "bench-secret-7f3a9c";
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            String line = i % 1000 == 999 ? "deploy token " + secret + " " : "a line of build output, as compilers print ";
            while (line.length() < 99) line += ".";
            block.append(line, 0, 99).append('\n');
        }
        byte[] data = block.toString().getBytes(StandardCharsets.UTF_8);
        long total = 200L * 1000 * 1000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 6; round++) {
            boolean withConsole = round % 2 == 0;
            Redactor red = new Redactor();
            red.add("tok", secret);
            PrintStream console = new PrintStream(new BufferedOutputStream(new FileOutputStream("/dev/null"), 1 << 16),
                    false, StandardCharsets.UTF_8);
            long cpu0 = threads.getCurrentThreadCpuTime();
            long proc0 = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            long t0 = System.nanoTime();
            Path logs = dir.resolve("r" + round);
            try (RunLog log = RunLog.open(logs, red)) {
                if (withConsole) log.addListener(new ConsoleFormatter(new AppendableConsoleSink(console)));
                JobLog job = log.job("big");
                job.shStart(1, "produce");
                long sent = 0;
                int pos = 0;
                while (sent < total) {
                    int len = Math.min(64 * 1024, data.length - pos);
                    job.outputLater(OutputKind.STDOUT, 1, data, pos, len);
                    pos = (pos + len) % data.length;
                    sent += len;
                }
                job.shExit(1, 0, 1, null);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double producer = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            double process = (((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime() - proc0) / 1e9;
            System.out.printf(Locale.ROOT, "BENCH engine log path (%s): 200 MB in %.2f s = %.0f MB/s; producer thread CPU %.2f s,"
                    + " JVM CPU %.2f s%n", withConsole ? "JSONL + console" : "JSONL only", secs, total / 1e6 / secs, producer, process);
            java.nio.file.Files.walk(logs).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
