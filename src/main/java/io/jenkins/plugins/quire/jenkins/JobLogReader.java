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
        Map<Integer, ShSpan> spans = new LinkedHashMap<>();
        int[] omitted = {0};
        JsonlReader.Visitor visitor = new JsonlReader.Visitor() {
            @Override
            public void event(LogEvent e) {
                if (e instanceof LogEvent.ShStart s) {
                    ShBlockView b = block(s.n());
                    if (b != null) b.started(s.cmd());
                    ShSpan span = span(s.n());
                    if (span != null) span.started(s.ts(), s.cmd());
                } else if (e instanceof LogEvent.Output o) {
                    ShBlockView b = block(o.n());
                    if (b != null) b.output(o.stream().wireName(), o.text());
                } else if (e instanceof LogEvent.ShExit x) {
                    ShBlockView b = block(x.n());
                    if (b != null) b.exited(x.exit(), x.signal(), x.durationMs(), x.oom());
                    ShSpan span = span(x.n());
                    if (span != null) span.exited(x.ts(), x.exit(), x.signal(), x.durationMs());
                }
            }

            @Override
            public void problem(String message) {
                job.logProblem(PageBudget.cut(message, 1024));
            }

            /** The timeline span of {@code sh} n; null (and counted) past the job's or the page's cap. */
            private ShSpan span(int n) {
                if (spans.containsKey(n)) return spans.get(n);
                ShSpan span = null;
                if (spans.size() - job.getOmittedSpans() < PageBudget.SPANS_PER_JOB && budget.takeSpan()) {
                    span = new ShSpan(n);
                } else {
                    job.omitSpan();
                }
                spans.put(n, span);
                return span;
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
        for (ShSpan span : spans.values()) if (span != null) job.getShSpans().add(span);
        if (omitted[0] > 0) {
            job.logProblem(omitted[0] + " more sh blocks are not shown (the page holds a limited number of"
                    + " blocks); see the raw log");
        }
    }
}
