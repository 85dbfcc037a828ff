package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.log.JsonlReader;
import io.jenkins.plugins.quire.log.LogEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a job's JSONL log ({@code sh-start}, output chunks, {@code sh-exit}) into {@link ShBlockView}s in order. */
final class JobLogReader {
    private JobLogReader() {}

    static void fill(JobView job, Path jobFile) {
        Map<Integer, ShBlockView> blocks = new LinkedHashMap<>();
        try {
            for (LogEvent e : JsonlReader.readAll(jobFile)) {
                if (e instanceof LogEvent.ShStart s) {
                    block(blocks, s.n()).started(s.cmd());
                } else if (e instanceof LogEvent.Output o) {
                    block(blocks, o.n()).output(o.stream().wireName(), o.text());
                } else if (e instanceof LogEvent.ShExit x) {
                    block(blocks, x.n()).exited(x.exit(), x.signal(), x.durationMs(), x.oom());
                }
            }
        } catch (IOException | RuntimeException ex) {
            job.logProblem(String.valueOf(ex.getMessage()));
        }
        job.getShBlocks().addAll(blocks.values());
    }

    private static ShBlockView block(Map<Integer, ShBlockView> blocks, int n) {
        return blocks.computeIfAbsent(n, k -> new ShBlockView(k, null));
    }
}
