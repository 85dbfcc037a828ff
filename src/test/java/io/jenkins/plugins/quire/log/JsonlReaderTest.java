package io.jenkins.plugins.quire.log;

import static io.jenkins.plugins.quire.log.LogFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlReaderTest {
    @TempDir
    Path dir;

    private static final String A = "{\"ts\":\"2026-11-29T20:40:01.123Z\",\"kind\":\"job-start\",\"job\":\"a\"}";
    private static final String B = "{\"ts\":\"2026-11-29T20:40:01.123Z\",\"kind\":\"job-start\",\"job\":\"b\"}";

    @Test
    void aTornLastLineIsIgnored() throws Exception {
        Path f = dir.resolve("log.jsonl");
        Files.writeString(f, A + "\n" + B.substring(0, 30));
        assertEquals(List.of(new LogEvent.JobStart(T0, "a")), JsonlReader.readAll(f));
    }

    @Test
    void aCompleteLastLineWithoutNewlineIsKept() throws Exception {
        Path f = dir.resolve("log.jsonl");
        Files.writeString(f, A + "\n" + B);
        assertEquals(List.of(new LogEvent.JobStart(T0, "a"), new LogEvent.JobStart(T0, "b")), JsonlReader.readAll(f));
    }

    @Test
    void aBrokenLineInTheMiddleIsAnErrorNamingFileAndLine() throws Exception {
        Path f = dir.resolve("log.jsonl");
        Files.writeString(f, A + "\n{\"ts\":\"2026\n" + B + "\n");
        LogReadException e = assertThrows(LogReadException.class, () -> JsonlReader.readAll(f));
        assertTrue(e.getMessage().startsWith(f + ":2: "), e.getMessage());
    }

    @Test
    void aLineMissingARequiredFieldIsAnErrorNamingTheField() throws Exception {
        Path f = dir.resolve("log.jsonl");
        Files.writeString(f, "{\"ts\":\"2026-11-29T20:40:01.123Z\",\"kind\":\"sh-start\",\"cmd\":\"x\"}\n");
        LogReadException e = assertThrows(LogReadException.class, () -> JsonlReader.readAll(f));
        assertTrue(e.getMessage().contains(":1: ") && e.getMessage().contains("'n'"), e.getMessage());
    }

    @Test
    void aMissingFileHasNoEvents() throws Exception {
        assertEquals(List.of(), JsonlReader.readAll(dir.resolve("none.jsonl")));
    }

    @Test
    void unknownKindsAreKeptForForwardCompatibility() throws Exception {
        Path f = dir.resolve("log.jsonl");
        Files.writeString(f, "{\"ts\":\"2026-11-29T20:40:01.123Z\",\"kind\":\"future\",\"x\":1}\n");
        LogEvent.Unknown u = assertInstanceOf(LogEvent.Unknown.class, JsonlReader.readAll(f).get(0));
        assertEquals("future", u.kind());
        assertEquals(1, u.fields().get("x").intValue());
    }

    @Test
    void readNewTailsAFileThatIsStillBeingAppendedTo() throws Exception {
        Path f = dir.resolve("log.jsonl");
        Files.writeString(f, A + "\n" + B.substring(0, 20));
        JsonlReader r = new JsonlReader(f);
        assertEquals(List.of(new LogEvent.JobStart(T0, "a")), r.readNew());
        assertEquals(List.of(), r.readNew());
        Files.writeString(f, B.substring(20), StandardOpenOption.APPEND);
        assertEquals(List.of(), r.readNew(), "no newline yet: the line may still grow");
        Files.writeString(f, "\n" + A + "\n", StandardOpenOption.APPEND);
        assertEquals(List.of(new LogEvent.JobStart(T0, "b"), new LogEvent.JobStart(T0, "a")), r.readNew());
        assertEquals(Files.size(f), r.offset());
    }

    @Test
    void readNewFollowsALiveRunLog() throws Exception {
        try (RunLog log = RunLog.open(dir, new Redactor(), LogFixtures.CLOCK)) {
            JsonlReader r = new JsonlReader(dir.resolve("log.jsonl"));
            assertEquals(List.of(), r.readNew());
            log.jobStart("x");
            assertEquals(List.of(new LogEvent.JobStart(T0, "x")), r.readNew());
            log.jobEnd("x", JobState.SUCCEEDED, 5, null, null);
            assertEquals(List.of(new LogEvent.JobEnd(T0, "x", JobState.SUCCEEDED, 5, null, null)), r.readNew());
        }
    }

    /** Collects what {@link JsonlReader#scan} reports. */
    private static final class Collect implements JsonlReader.Visitor {
        final List<LogEvent> events = new java.util.ArrayList<>();
        final List<String> problems = new java.util.ArrayList<>();

        @Override
        public void event(LogEvent e) {
            events.add(e);
        }

        @Override
        public void problem(String message) {
            problems.add(message);
        }
    }

    @Test
    void scanSkipsCorruptAndOverlongLinesKeepsTheRestAndIgnoresATornLastLine() throws Exception {
        Path f = dir.resolve("log.jsonl");
        Files.writeString(f, A + "\nnot json\n" + B.replace("\"b\"", "\"" + "b".repeat(500) + "\"") + "\r\n\n"
                + B + "\r\n" + A.substring(0, 30));
        Collect c = new Collect();
        long read = JsonlReader.scan(f, 200, Long.MAX_VALUE, c);
        assertEquals(Files.size(f), read);
        assertEquals(List.of(new LogEvent.JobStart(T0, "a"), new LogEvent.JobStart(T0, "b")), c.events);
        assertEquals(2, c.problems.size(), c.problems.toString());
        assertTrue(c.problems.get(0).contains("log.jsonl:2: not a valid log event, skipped: "), c.problems.get(0));
        assertTrue(c.problems.get(1).endsWith("log.jsonl:3: the line is longer than 200 bytes; skipped"), c.problems.get(1));
    }

    @Test
    void scanStopsAfterItsByteLimitAndSaysSo() throws Exception {
        Path f = dir.resolve("log.jsonl");
        Files.writeString(f, (A + "\n").repeat(100));
        Collect c = new Collect();
        long read = JsonlReader.scan(f, 1 << 20, (A.length() + 1) * 10L, c);
        assertEquals((A.length() + 1) * 10L, read);
        assertEquals(10, c.events.size());
        assertTrue(c.problems.get(0).contains("read only the first"), c.problems.toString());
        Collect none = new Collect();
        assertEquals(0, JsonlReader.scan(dir.resolve("missing.jsonl"), 100, 100, none));
        assertEquals(List.of(), none.events);
    }
}
