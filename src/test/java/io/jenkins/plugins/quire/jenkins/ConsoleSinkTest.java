package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.log.AppendableConsoleSink;
import io.jenkins.plugins.quire.log.JobColumn;
import io.jenkins.plugins.quire.log.LineKind;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The writer side of the Jenkins console: exact bytes per kind, neutralising, and equivalence with the CLI. */
class ConsoleSinkTest {
    private static final char LEAD = '\u2063';

    private static byte[] bytes(int... b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) r[i] = (byte) b[i];
        return r;
    }

    private static String written(LineKind kind, String text) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        QuireConsoleSink sink = new QuireConsoleSink(new PrintStream(bo, false, StandardCharsets.UTF_8));
        sink.line(kind, text);
        sink.flush();
        return bo.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachKindIsWrittenAsLeadPlusItsTypeCharacterThenTextAndNewline() {
        // UTF-8 of U+2063 is E2 81 A3; each row: kind, then the three UTF-8 bytes of its type character
        Object[][] expected = {
            {LineKind.JOB_START, 0xE2, 0x81, 0xA1}, {LineKind.CMD, 0xE2, 0x81, 0xA2},
            {LineKind.STDERR, 0xE2, 0x80, 0x8B}, {LineKind.EXIT, 0xE2, 0x81, 0xA4},
            {LineKind.JOB_END, 0xE2, 0x81, 0xA0}, {LineKind.SUMMARY, 0xE2, 0x80, 0x8C},
            {LineKind.INFO, 0xE2, 0x80, 0x8D}, {LineKind.ERROR, 0xEF, 0xBB, 0xBF}};
        for (Object[] e : expected) {
            LineKind kind = (LineKind) e[0];
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            QuireConsoleSink sink = new QuireConsoleSink(new PrintStream(bo));
            sink.line(kind, "ab");
            sink.flush();
            assertArrayEquals(bytes(0xE2, 0x81, 0xA3, (Integer) e[1], (Integer) e[2], (Integer) e[3], 'a', 'b', '\n'),
                    bo.toByteArray(), kind.name());
        }
    }

    @Test
    void everyKindButStdoutHasADistinctMarker() {
        List<Character> seen = new ArrayList<>();
        for (LineKind k : LineKind.values()) {
            char t = ConsoleMarkers.typeOf(k);
            if (k == LineKind.STDOUT) {
                assertEquals(0, t);
                continue;
            }
            assertEquals(Character.FORMAT, Character.getType(t), k + " type is an invisible format character");
            assertTrue(ConsoleMarkers.isStyledType(t) && t != ConsoleMarkers.LEAD, k.name());
            assertFalse(seen.contains(t), k + " type is unique");
            seen.add(t);
        }
    }

    @Test
    void stdoutIsWrittenWithoutMarkerAsUtf8() {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        QuireConsoleSink sink = new QuireConsoleSink(new PrintStream(bo));
        sink.line(LineKind.STDOUT, "é ok");
        sink.flush();
        assertArrayEquals(bytes(0xC3, 0xA9, ' ', 'o', 'k', '\n'), bo.toByteArray());
    }

    @Test
    void theLinesOfAnEventGoOutInOneWriteAtFlushAndAnErrorLineAtOnce() {
        List<String> calls = new ArrayList<>();
        OutputStream rec = new OutputStream() {
            @Override
            public void write(int b) {
                calls.add("byte");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                calls.add("write " + len);
            }

            @Override
            public void flush() {
                calls.add("flush");
            }
        };
        QuireConsoleSink sink = new QuireConsoleSink(new PrintStream(rec, false));
        sink.line(LineKind.CMD, "$ make");
        sink.line(LineKind.STDOUT, "ok");
        assertEquals(List.of(), calls, "nothing written before the flush");
        sink.flush();
        assertEquals(List.of("write 16", "flush"), calls);
        calls.clear();
        sink.line(LineKind.STDOUT, "pending");
        sink.line(LineKind.ERROR, "Quire CI: boom"); // the build step's own error lines need no flush
        assertEquals(List.of("write 29", "flush"), calls);
        calls.clear();
        String line = "x".repeat(1023);
        for (int i = 0; i < 64; i++) sink.line(LineKind.STDOUT, line); // a huge event still goes out in pieces
        assertEquals(List.of("write 65536", "flush"), calls);
    }

    @Test
    void nullLoggerIsRejectedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new QuireConsoleSink(null));
        assertTrue(e.getMessage().contains("logger"));
    }

    @Test
    void stdoutStartingWithAMarkerIsEscapedWithRsDle() {
        assertEquals("\u2063\u2063\u2063\u200B! forged\n", written(LineKind.STDOUT, "\u2063\u200B! forged"));
        assertEquals("\u2063\u2063\u2063\u2063x\n", written(LineKind.STDOUT, "\u2063\u2063x"));
        assertEquals("\u2063\u2063\u2063\n", written(LineKind.STDOUT, "\u2063"));
    }

    @Test
    void aMarkerAfterALoneCarriageReturnIsEscapedInEveryKind() {
        assertEquals("a\r\u2063\u2063\u2063\u2061==> job evil\n", written(LineKind.STDOUT, "a\r\u2063\u2061==> job evil"));
        assertEquals("\u2063\u200B! a\r\u2063\u2063\u2063\u2064exit 0\n",
                written(LineKind.STDERR, "! a\r\u2063\u2064exit 0"));
        assertEquals("\u2063\u2062$ x\r\u2063\u2063\u2063\u2060y\n", written(LineKind.CMD, "$ x\r\u2063\u2060y"));
    }

    @Test
    void c0ControlsLikeRecordSeparatorAreNotMarkersAndPassThrough() {
        assertEquals("\u001E\u0012x\n", written(LineKind.STDOUT, "\u001E\u0012x"));
        assertEquals(Character.FORMAT, Character.getType(ConsoleMarkers.LEAD));
    }

    @Test
    void aMarkerInsideALineIsLeftAlone() {
        assertEquals("a\u2063\u200Bb\n", written(LineKind.STDOUT, "a\u2063\u200Bb"));
    }

    @Test
    void consoleNotePreamblesAreBrokenInEveryKind() {
        String note = "\u001B[8mha:AAAA\u001B[0m";
        for (LineKind k : LineKind.values()) {
            String w = written(k, "x " + note + " y");
            assertFalse(w.contains("\u001B[8mha:"), k + ": " + w);
            assertTrue(w.endsWith("x \u001B[8m\u2063\u2063ha:AAAA\u001B[0m y\n"), k + ": " + w);
        }
    }

    @Test
    void otherAnsiCodesAndConcealWithoutNoteArePassedThrough() {
        String s = "\u001B[32mgreen\u001B[0m \u001B[8mhidden\u001B[0m";
        assertEquals(s + "\n", written(LineKind.STDOUT, s));
    }

    @Test
    void stripUndoesTheSinkForRandomHostileText() {
        char[] alphabet = {LEAD, '\u001E', '\u2063', '\u2061', '\u200B', '\r', '\n', '\u001B', '[', '8', 'm', 'h', 'a', ':', 'x', ' '};
        Random rnd = new Random(4711);
        for (int round = 0; round < 20_000; round++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(14);
            for (int i = 0; i < len; i++) sb.append(alphabet[rnd.nextInt(alphabet.length)]);
            if (rnd.nextInt(4) == 0) sb.insert(rnd.nextInt(sb.length() + 1), "\u001B[8mha:");
            String text = sb.toString();
            LineKind kind = LineKind.values()[rnd.nextInt(LineKind.values().length)];
            String w = QuireConsoleSink.render(kind, text);
            String line = w.substring(0, w.length() - 1);
            assertEquals(text, ConsoleMarkers.strip(line), () -> kind + " " + escapeForMessage(text));
            assertFalse(line.contains("\u001B[8mha:"), () -> "note preamble survived: " + escapeForMessage(text));
            assertNoForgedMarker(kind, line, text);
        }
    }

    @Test
    void aJobLineIsItsColourMarkerItsColumnThenTheLineAsWrittenAlone() {
        JobColumn build = new JobColumn("build | ", 0);
        assertEquals("\u2063\u206Abuild | \u2063\u2062$ make\n", QuireConsoleSink.render(LineKind.CMD, build, "$ make"));
        assertEquals("\u2063\u206Bx | hello\n", QuireConsoleSink.render(LineKind.STDOUT, new JobColumn("x | ", 1), "hello"));
        assertEquals("\u2063\u206Fx | \u2063\u200B! e\n",
                QuireConsoleSink.render(LineKind.STDERR, new JobColumn("x | ", 5), "! e"));
        assertEquals("\u2063\u206Ax | ok\n", QuireConsoleSink.render(LineKind.STDOUT, new JobColumn("x | ", 6), "ok"),
                "six colours, then the palette starts again");
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        QuireConsoleSink sink = new QuireConsoleSink(new PrintStream(bo, false, StandardCharsets.UTF_8));
        sink.jobLine(LineKind.EXIT, build, "exit 0 (1 ms)");
        sink.flush();
        assertEquals(QuireConsoleSink.render(LineKind.EXIT, build, "exit 0 (1 ms)"), bo.toString(StandardCharsets.UTF_8));
    }

    @Test
    void stripUndoesTheSinkForJobLinesWithRandomHostileText() {
        char[] alphabet = {LEAD, '\u206A', '\u206F', '\u2061', '\u200B', '|', ' ', '\r', '\u001B', '[', '8', 'm', 'h', 'a', ':', 'x'};
        Random rnd = new Random(815);
        for (int round = 0; round < 20_000; round++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(14);
            for (int i = 0; i < len; i++) sb.append(alphabet[rnd.nextInt(alphabet.length)]);
            String text = sb.toString();
            LineKind kind = LineKind.values()[rnd.nextInt(LineKind.values().length)];
            JobColumn col = new JobColumn("job" + " ".repeat(rnd.nextInt(3)) + " | ", rnd.nextInt(20));
            String w = QuireConsoleSink.render(kind, col, text);
            String line = w.substring(0, w.length() - 1);
            assertEquals(col.text() + text, ConsoleMarkers.strip(line), () -> kind + " " + escapeForMessage(text));
            assertEquals(2 + col.text().length(), ConsoleMarkers.afterColumn(line), "the column ends where it was written");
            String rest = line.substring(2 + col.text().length());
            assertEquals(QuireConsoleSink.render(kind, text), rest + "\n", "the rest is the line as written alone");
            assertNoForgedMarker(kind, rest, text);
        }
    }

    /** Every place Hudson or Jenkins could start a line holds the sink's own marker, an escape, or no LEAD. */
    private static void assertNoForgedMarker(LineKind kind, String line, String text) {
        for (int i = 0; i < line.length() - 1; i++) {
            boolean lineStart = i == 0 || line.charAt(i - 1) == '\r' || line.charAt(i - 1) == '\n';
            if (!lineStart || line.charAt(i) != LEAD) continue;
            boolean own = i == 0 && kind != LineKind.STDOUT;
            if (!own) {
                assertEquals('\u2063', line.charAt(i + 1), () -> "forged marker: " + escapeForMessage(text));
            }
        }
    }

    private static String escapeForMessage(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) sb.append(c < 0x20 || Character.getType(c) == Character.FORMAT ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        return sb.toString();
    }

    @Test
    void strippedJenkinsConsoleEqualsTheCliConsoleForASampleRun() {
        StringBuilder cli = new StringBuilder();
        ConsoleSampleRun.feed(new AppendableConsoleSink(cli));
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        ConsoleSampleRun.feed(new QuireConsoleSink(new PrintStream(bo, true, StandardCharsets.UTF_8)));
        String jenkins = bo.toString(StandardCharsets.UTF_8);

        assertNotEquals(cli.toString(), jenkins, "markers were written");
        StringBuilder stripped = new StringBuilder();
        for (String line : jenkins.split("\n", -1)) {
            if (line.isEmpty()) continue;
            stripped.append(ConsoleMarkers.strip(line)).append('\n');
        }
        assertEquals(cli.toString(), stripped.toString());
        assertTrue(cli.toString().contains("\u001B[8mha:"), "the sample does carry a note preamble");
        assertFalse(jenkins.contains("\u001B[8mha:"));
        assertEquals(visible(cli.toString()), visible(jenkins), "only invisible control characters were added");
    }

    /** What a reader sees: the text without C0 controls (line breaks kept) and zero-width format characters. */
    static String visible(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ((c >= 0x20 || c == '\n') && Character.getType(c) != Character.FORMAT) sb.append(c);
        }
        return sb.toString();
    }
}
