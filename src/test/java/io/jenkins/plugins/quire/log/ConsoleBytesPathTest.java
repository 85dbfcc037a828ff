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
     * The run log hands text output over with its UTF-8 bytes ({@link LogListener#onOutput}), and the formatter
     * copies whole lines from them. Random output (multi-byte characters, CRLF, partial and overlong lines, lines of
     * exactly the limit, stderr between stdout, two jobs) given that way, at an offset inside a larger array, must
     * print what the same events print given as text, into a PrintStream and into a StringBuilder.
     */
    @Test
    void utf8HandOverPrintsWhatTheTextEventPrints() {
        Random r = new Random(13);
        for (int round = 0; round < 80; round++) {
            ByteArrayOutputStream viaText = new ByteArrayOutputStream();
            ByteArrayOutputStream viaBytes = new ByteArrayOutputStream();
            StringBuilder viaBytesText = new StringBuilder();
            PrintStream ps1 = new PrintStream(viaText, false, StandardCharsets.UTF_8);
            PrintStream ps2 = new PrintStream(viaBytes, false, StandardCharsets.UTF_8);
            List<ConsoleFormatter> byBytes = List.of(new ConsoleFormatter(new AppendableConsoleSink(ps2), new ManualFlushTimer()),
                    new ConsoleFormatter(new AppendableConsoleSink(viaBytesText), new ManualFlushTimer()));
            ConsoleFormatter byText = new ConsoleFormatter(new AppendableConsoleSink(ps1), new ManualFlushTimer());
            LogEvent pipeline = new LogEvent.Pipeline(LogFixtures.T0, List.of(new LogEvent.PipelineJob("a", List.of()),
                    new LogEvent.PipelineJob("build-b", List.of())), 2);
            byText.onEvent(null, pipeline);
            for (ConsoleFormatter f : byBytes) f.onEvent(null, pipeline);
            int cps = ALPHABET.codePointCount(0, ALPHABET.length());
            int chunks = 1 + r.nextInt(30);
            for (int i = 0; i < chunks; i++) {
                StringBuilder chunk = new StringBuilder();
                int kind = r.nextInt(12);
                if (kind == 0) { // a line of exactly the limit, or one below or above it, in bytes or characters
                    int n = ConsoleFormatter.MAX_LINE - 1 + r.nextInt(3);
                    String unit = r.nextBoolean() ? "x" : "é";
                    chunk.append(unit.repeat(r.nextBoolean() ? n : n / 2)).append(r.nextBoolean() ? "\n" : "\r\n");
                }
                int len = kind == 1 ? ConsoleFormatter.MAX_LINE + r.nextInt(100) : r.nextInt(300);
                for (int j = 0; j < len; j++) chunk.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0, r.nextInt(cps))));
                OutputKind k = r.nextInt(4) == 0 ? OutputKind.STDERR : OutputKind.STDOUT;
                String job = r.nextBoolean() ? "a" : "build-b";
                LogEvent.Output e = new LogEvent.Output(LogFixtures.T0, k, 1, chunk.toString(), false);
                byte[] utf8 = chunk.toString().getBytes(StandardCharsets.UTF_8);
                int at = r.nextInt(5);
                byte[] larger = new byte[at + utf8.length + r.nextInt(5)];
                java.util.Arrays.fill(larger, (byte) '\n');
                System.arraycopy(utf8, 0, larger, at, utf8.length);
                byText.onEvent(job, e);
                for (ConsoleFormatter f : byBytes) f.onOutput(job, e, larger, at, utf8.length);
            }
            for (String j : List.of("a", "build-b")) {
                LogEvent end = new LogEvent.ShExit(LogFixtures.T0, 1, 0, 3, null, false);
                byText.onEvent(j, end);
                for (ConsoleFormatter f : byBytes) f.onEvent(j, end);
            }
            String expected = viaText.toString(StandardCharsets.UTF_8);
            assertEquals(expected, viaBytes.toString(StandardCharsets.UTF_8), "round " + round);
            assertEquals(expected, viaBytesText.toString(), "round " + round);
            assertTrue(expected.contains("a       | ") || expected.contains("build-b | "), expected);
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
