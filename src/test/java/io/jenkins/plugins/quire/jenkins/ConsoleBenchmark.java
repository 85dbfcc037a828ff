package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.MarkupText;
import io.jenkins.plugins.quire.log.AppendableConsoleSink;
import io.jenkins.plugins.quire.log.ConsoleSink;
import io.jenkins.plugins.quire.log.LineKind;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Console cost figures (a chatty build): bytes per 10,000 output lines with markers against
 * the plain CLI text, and render time per line with and without the Quire annotator. Prints; asserts no timings.
 */
@Tag("benchmark")
class ConsoleBenchmark {
    private static final int OUTPUT_LINES = 10_000;

    /** 10,000 output lines of ~60 bytes, 30% stderr, and a job header, $ line and exit line per 100 lines. */
    private static void workload(ConsoleSink sink) {
        Random rnd = new Random(42);
        for (int i = 0; i < OUTPUT_LINES; i++) {
            if (i % 100 == 0) {
                sink.line(LineKind.JOB_START, "==> job job" + i / 100);
                sink.line(LineKind.CMD, "$ make -C src/module" + i / 100 + " test");
            }
            StringBuilder sb = new StringBuilder(60);
            while (sb.length() < 50 + rnd.nextInt(20)) sb.append("token").append(rnd.nextInt(1000)).append(' ');
            if (rnd.nextInt(10) < 3) sink.line(LineKind.STDERR, "! " + sb);
            else sink.line(LineKind.STDOUT, sb.toString());
            if (i % 100 == 99) sink.line(LineKind.EXIT, "exit 0 (" + (i * 7 % 5000) + " ms)");
            if (i % 100 == 99) sink.flush(); // as the formatter does after each event
        }
        sink.flush();
    }

    @Test
    void bytesPerTenThousandLinesAndRenderTimePerLine() {
        StringBuilder plain = new StringBuilder();
        workload(new AppendableConsoleSink(plain));
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        workload(new QuireConsoleSink(new PrintStream(bo, false, StandardCharsets.UTF_8)));
        long plainBytes = plain.toString().getBytes(StandardCharsets.UTF_8).length;
        long quireBytes = bo.size();
        String log = bo.toString(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (String l : log.split("(?<=\n)")) lines.add(l);
        long marked = lines.stream().filter(l -> l.charAt(0) == '\u2063').count();
        assertEquals(quireBytes - plainBytes, 6 * marked, "exactly six bytes (two 3-byte UTF-8 characters) per marked line");
        System.out.printf("console bytes per %d output lines (%d lines incl. structure, %d marked): plain %d, "
                + "with markers %d (+%d bytes, +%.2f%%)%n", OUTPUT_LINES, lines.size(), marked, plainBytes, quireBytes,
                quireBytes - plainBytes, 100.0 * (quireBytes - plainBytes) / plainBytes);

        long sinkNs = time(() -> workload(new QuireConsoleSink(new PrintStream(new ByteArrayOutputStream(), false,
                StandardCharsets.UTF_8))), 5);
        long cliNs = time(() -> workload(new AppendableConsoleSink(new StringBuilder())), 5);
        System.out.printf("write per line: QuireConsoleSink %.0f ns, AppendableConsoleSink %.0f ns%n",
                (double) sinkNs / lines.size(), (double) cliNs / lines.size());

        long withNs = time(() -> render(lines, true), 10);
        long withoutNs = time(() -> render(lines, false), 10);
        List<String> markedOnly = lines.stream().filter(l -> l.charAt(0) == '\u2063').toList();
        long markedWith = time(() -> render(markedOnly, true), 10);
        long markedWithout = time(() -> render(markedOnly, false), 10);
        System.out.printf("render per line (MarkupText + toString(true)), all lines: %.0f ns with the Quire annotator, "
                + "%.0f ns without; marked lines only: %.0f ns with, %.0f ns without (annotation ≈ %.0f ns per marked "
                + "line)%n", (double) withNs / lines.size(), (double) withoutNs / lines.size(),
                (double) markedWith / markedOnly.size(), (double) markedWithout / markedOnly.size(),
                (double) (markedWith - markedWithout) / markedOnly.size());
        assertTrue(render(markedOnly, true) > render(markedOnly, false), "markup was added");
    }

    private static long render(List<String> lines, boolean annotate) {
        QuireConsoleAnnotator a = new QuireConsoleAnnotator();
        long chars = 0;
        for (String l : lines) {
            MarkupText mt = new MarkupText(l);
            if (annotate) a.annotate(null, mt);
            chars += mt.toString(true).length();
        }
        return chars;
    }

    /** Best of {@code rounds} runs after five warm-up runs, in ns. */
    private static long time(Runnable r, int rounds) {
        for (int i = 0; i < 5; i++) r.run();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best;
    }
}
