package io.jenkins.plugins.quire.jenkins;

import io.jenkins.plugins.quire.log.JsonlReader;
import io.jenkins.plugins.quire.log.LogEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a job's JSONL log ({@code sh-start}, output chunks, {@code sh-exit}) into {@link ShBlockView}s in order,
 * streaming the file (never held whole) within the page's {@link PageBudget}. A line that cannot be read is skipped
 * and reported; the events around it are kept.
 */
final class JobLogReader {
    /** Longest JSONL line read (an output event holds at most 64 KiB of output, 6 times that when escaped). */
    static final int MAX_LINE_BYTES = 4 << 20;

    private JobLogReader() {}

    static void fill(JobView job, Path jobFile, PageBudget budget) {
        Map<Integer, ShBlockView> blocks = new LinkedHashMap<>();
        int[] omitted = {0};
        JsonlReader.Visitor visitor = new JsonlReader.Visitor() {
            @Override
            public void event(LogEvent e) {
                if (e instanceof LogEvent.ShStart s) {
                    ShBlockView b = block(s.n());
                    if (b != null) b.started(s.cmd());
                } else if (e instanceof LogEvent.Output o) {
                    ShBlockView b = block(o.n());
                    if (b != null) b.output(o.stream().wireName(), o.text());
                } else if (e instanceof LogEvent.ShExit x) {
                    ShBlockView b = block(x.n());
                    if (b != null) b.exited(x.exit(), x.signal(), x.durationMs(), x.oom());
                }
            }

            @Override
            public void problem(String message) {
                job.logProblem(PageBudget.cut(message, 1024));
            }

            private ShBlockView block(int n) {
                if (blocks.containsKey(n)) return blocks.get(n); // null: a block the page has no room for
                if (!budget.takeBlock()) {
                    omitted[0]++;
                    blocks.put(n, null);
                    return null;
                }
                ShBlockView b = new ShBlockView(n, null, budget);
                blocks.put(n, b);
                return b;
            }
        };
        try {
            budget.spendBytes(JsonlReader.scan(jobFile, MAX_LINE_BYTES, budget.bytesLeft(), visitor));
        } catch (IOException | RuntimeException ex) {
            job.logProblem(String.valueOf(ex.getMessage()));
        }
        for (ShBlockView b : blocks.values()) if (b != null) job.getShBlocks().add(b);
        if (omitted[0] > 0) {
            job.logProblem(omitted[0] + " more sh blocks are not shown (the page holds a limited number of"
                    + " blocks); see the raw log");
        }
    }
}
