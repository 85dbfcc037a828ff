package io.jenkins.plugins.quire.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CLI console writes job lines as bytes (whole stdout lines straight from their chunk, no string per line). It
 * must print exactly what the string path prints: the same random output (multi-byte characters, CRLF, partial and
 * overlong lines, stderr between stdout, two jobs) through a {@link PrintStream} sink and through a
 * {@link StringBuilder} sink.
 */
class ConsoleBytesPathTest {
    private static final String ALPHABET = "ab \r\n\n\n€é😀\t";

    @Test
    void bytesPathPrintsWhatTheStringPathPrints() {
        Random r = new Random(11);
        for (int round = 0; round < 60; round++) {
            StringBuilder text = new StringBuilder();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream ps = new PrintStream(bytes, false, StandardCharsets.UTF_8);
            ManualFlushTimer t1 = new ManualFlushTimer();
            ManualFlushTimer t2 = new ManualFlushTimer();
            ConsoleFormatter viaString = new ConsoleFormatter(new AppendableConsoleSink(text), t1);
            ConsoleFormatter viaBytes = new ConsoleFormatter(new AppendableConsoleSink(ps), t2);
            List<LogEvent> events = new java.util.ArrayList<>();
            events.add(new LogEvent.Pipeline(LogFixtures.T0, List.of(new LogEvent.PipelineJob("a", List.of()),
                    new LogEvent.PipelineJob("build-b", List.of())), 2));
            int chunks = 1 + r.nextInt(30);
            for (int i = 0; i < chunks; i++) {
                StringBuilder chunk = new StringBuilder();
                int len = r.nextInt(30) == 0 ? ConsoleFormatter.MAX_LINE + r.nextInt(100) : r.nextInt(60);
                int cps = ALPHABET.codePointCount(0, ALPHABET.length());
                for (int j = 0; j < len; j++) {
                    int at = ALPHABET.offsetByCodePoints(0, r.nextInt(cps));
                    chunk.appendCodePoint(ALPHABET.codePointAt(at));
                }
                OutputKind k = r.nextInt(4) == 0 ? OutputKind.STDERR : OutputKind.STDOUT;
                events.add(new LogEvent.Output(LogFixtures.T0, k, 1, chunk.toString(), false));
            }
            events.add(new LogEvent.ShExit(LogFixtures.T0, 1, 0, 3, null, false));
            for (int i = 0; i < events.size(); i++) {
                String job = i % 3 == 0 ? "a" : "build-b";
                if (events.get(i) instanceof LogEvent.ShExit) job = null;
                viaString.onEvent(job, events.get(i));
                viaBytes.onEvent(job, events.get(i));
            }
            for (String j : List.of("a", "build-b")) {
                LogEvent end = new LogEvent.ShExit(LogFixtures.T0, 1, 0, 3, null, false);
                viaString.onEvent(j, end);
                viaBytes.onEvent(j, end);
            }
            ps.flush();
            String printed = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(text.toString(), printed, "round " + round);
            assertTrue(printed.contains("a       | ") || printed.contains("build-b | "), printed);
        }
    }

    /**
     * A whole line found in one chunk goes to the sink straight from it; the same output cut into single characters
     * builds every line piece by piece. Both must print the same lines (CRLF trimmed, overlong lines cut).
     */
    @Test
    void wholeLinesFromAChunkPrintAsLinesBuiltPieceByPiece() {
        Random r = new Random(12);
        for (int round = 0; round < 60; round++) {
            StringBuilder whole = new StringBuilder();
            StringBuilder pieces = new StringBuilder();
            ConsoleFormatter viaChunks = new ConsoleFormatter(new AppendableConsoleSink(whole), new ManualFlushTimer());
            ConsoleFormatter viaChars = new ConsoleFormatter(new AppendableConsoleSink(pieces), new ManualFlushTimer());
            LogEvent pipeline = new LogEvent.Pipeline(LogFixtures.T0, List.of(new LogEvent.PipelineJob("a", List.of())), 1);
            viaChunks.onEvent(null, pipeline);
            viaChars.onEvent(null, pipeline);
            int chunks = 1 + r.nextInt(20);
            for (int i = 0; i < chunks; i++) {
                StringBuilder chunk = new StringBuilder();
                int len = r.nextInt(30) == 0 ? ConsoleFormatter.MAX_LINE + r.nextInt(100) : r.nextInt(60);
                for (int j = 0; j < len; j++) chunk.append("ab \r\n\n€é\t".charAt(r.nextInt(9)));
                OutputKind k = r.nextInt(4) == 0 ? OutputKind.STDERR : OutputKind.STDOUT;
                viaChunks.onEvent("a", new LogEvent.Output(LogFixtures.T0, k, 1, chunk.toString(), false));
                for (int j = 0; j < chunk.length(); j++)
                    viaChars.onEvent("a", new LogEvent.Output(LogFixtures.T0, k, 1, chunk.substring(j, j + 1), false));
            }
            LogEvent exit = new LogEvent.ShExit(LogFixtures.T0, 1, 0, 3, null, false);
            viaChunks.onEvent("a", exit);
            viaChars.onEvent("a", exit);
            assertEquals(pieces.toString(), whole.toString(), "round " + round);
        }
    }
}
