package io.jenkins.plugins.quire.log;

import static io.jenkins.plugins.quire.log.LogFixtures.CLOCK;
import static io.jenkins.plugins.quire.log.LogFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The redaction properties (docs/log-format.md) as seeded randomized tests: random text over a small alphabet (with
 * multi-byte characters), random secrets (length 1 and up, overlapping on purpose) and random chunkings. Secret
 * names are upper-case and the text alphabet has no upper-case letters or braces, so a marker can never contain a
 * value. The oracle is a deliberately naive string implementation of the documented rule. Seeds above
 * {@value #SHORT_SEEDS} draw secrets of three to twelve characters only, so the scan's skip over positions where no
 * value can start (by the shortest value's length) takes strides of more than one.
 */
class RedactionPropertyTest {
    private static final String ALPHABET = "abcde-é€😀\n";

    @TempDir
    Path dir;

    private static final int SHORT_SEEDS = 60;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 2 * SHORT_SEEDS);
    }

    private record Case(String text, Map<String, String> secrets, int[] cuts) {}

    private static Case randomCase(long seed) {
        Random r = new Random(seed);
        int cps = ALPHABET.codePointCount(0, ALPHABET.length());
        Map<String, String> secrets = new LinkedHashMap<>();
        int count = 1 + r.nextInt(5);
        int shortest = seed > SHORT_SEEDS ? 3 : 1;
        int spread = seed > SHORT_SEEDS ? 10 : 6;
        for (int i = 0; i < count; i++)
            secrets.put(String.valueOf((char) ('A' + i)), randomText(r, shortest + r.nextInt(spread), cps));
        StringBuilder text = new StringBuilder();
        int parts = 5 + r.nextInt(60);
        List<String> values = new ArrayList<>(secrets.values());
        for (int i = 0; i < parts; i++) {
            if (r.nextInt(3) == 0) text.append(values.get(r.nextInt(values.size())));
            else text.append(randomText(r, r.nextInt(8), cps));
        }
        int[] cuts = new int[1 + r.nextInt(20)];
        for (int i = 0; i < cuts.length; i++) cuts[i] = 1 + r.nextInt(r.nextBoolean() ? 4 : 40);
        return new Case(text.toString(), secrets, cuts);
    }

    private static String randomText(Random r, int len, int cps) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) sb.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0, r.nextInt(cps))));
        return sb.toString();
    }

    private static Redactor redactor(Map<String, String> secrets) {
        Redactor red = new Redactor();
        secrets.forEach(red::add);
        return red;
    }

    private record Occurrence(int start, int end, String name) {}

    /**
     * The rule, naively: every occurrence of every value (at every position), sorted by start, then longest, then
     * name; occurrences that overlap a run extend it; each run becomes the marker of its first occurrence.
     */
    private static String oracle(String text, Map<String, String> secrets) {
        List<Occurrence> all = new ArrayList<>();
        for (Map.Entry<String, String> e : secrets.entrySet()) {
            for (int i = text.indexOf(e.getValue()); i >= 0; i = text.indexOf(e.getValue(), i + 1))
                all.add(new Occurrence(i, i + e.getValue().length(), e.getKey()));
        }
        all.sort(Comparator.comparingInt(Occurrence::start).thenComparingInt(o -> -(o.end - o.start))
                .thenComparing(Occurrence::name));
        StringBuilder out = new StringBuilder();
        int copied = 0;
        int runEnd = -1;
        for (Occurrence o : all) {
            if (o.start < runEnd) {
                runEnd = Math.max(runEnd, o.end);
                continue;
            }
            if (runEnd >= 0) copied = runEnd;
            out.append(text, copied, o.start).append("{{ ").append(o.name).append(" }}");
            runEnd = o.end;
        }
        if (runEnd >= 0) copied = runEnd;
        return out.append(text.substring(copied)).toString();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void noCharacterOfAnyOccurrenceSurvives(long seed) {
        Case c = randomCase(seed);
        String out = redactor(c.secrets).redact(c.text);
        // what is left between markers is exactly the text no occurrence covers
        boolean[] covered = new boolean[c.text.length()];
        for (String v : c.secrets.values())
            for (int i = c.text.indexOf(v); i >= 0; i = c.text.indexOf(v, i + 1))
                java.util.Arrays.fill(covered, i, i + v.length(), true);
        StringBuilder uncovered = new StringBuilder();
        for (int i = 0; i < covered.length; i++) if (!covered[i]) uncovered.append(c.text.charAt(i));
        assertEquals(uncovered.toString(), out.replaceAll("\\{\\{ [A-Z] }}", ""), "seed " + seed);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void wholeTextRedactionMatchesTheNaiveRule(long seed) {
        Case c = randomCase(seed);
        assertEquals(oracle(c.text, c.secrets), redactor(c.secrets).redact(c.text), "seed " + seed);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void noSecretValueSurvivesRedaction(long seed) {
        Case c = randomCase(seed);
        String out = redactor(c.secrets).redact(c.text);
        for (String v : c.secrets.values()) assertFalse(out.contains(v), "seed " + seed + " leaks " + v);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void redactionIsIdempotent(long seed) {
        Case c = randomCase(seed);
        Redactor red = redactor(c.secrets);
        String once = red.redact(c.text);
        assertEquals(once, red.redact(once), "seed " + seed);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void anEmptyRegistryIsTheIdentity(long seed) {
        Case c = randomCase(seed);
        assertSame(c.text, new Redactor().redact(c.text));
        assertArrayEquals(utf8(c.text), new Redactor().redact(utf8(c.text)));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void textSimilarToButNotContainingASecretPassesThrough(long seed) {
        Case c = randomCase(seed);
        Map<String, String> withZ = new LinkedHashMap<>();
        c.secrets.forEach((k, v) -> withZ.put(k, v + "z")); // 'z' never occurs in the text
        assertEquals(c.text, redactor(withZ).redact(c.text), "seed " + seed);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void streamedChunksJoinToTheWholeTextRedaction(long seed) {
        Case c = randomCase(seed);
        Redactor red = redactor(c.secrets);
        byte[] in = utf8(c.text);
        StreamRedactor s = red.newStream();
        ByteBuf out = new ByteBuf();
        int pos = 0;
        int i = 0;
        while (pos < in.length) {
            int len = Math.min(in.length - pos, c.cuts[i++ % c.cuts.length]);
            s.push(in, pos, len, out);
            pos += len;
        }
        s.finish(out);
        assertArrayEquals(red.redact(in), out.toByteArray(), "seed " + seed);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void theJobLogStreamJoinsToTheWholeTextRedactionWithValidTextEvents(long seed) throws Exception {
        Case c = randomCase(seed);
        Redactor red = redactor(c.secrets);
        try (RunLog log = RunLog.open(dir, red, CLOCK)) {
            JobLog job = log.job("p");
            job.shStart(1, "x");
            LogFixtures.feed(job, OutputKind.STDERR, utf8(c.text), c.cuts);
            job.shExit(1, 0, 1, null);
        }
        List<LogEvent> events = JsonlReader.readAll(dir.resolve("jobs/p/log.jsonl"));
        String joined = new String(LogFixtures.joined(events, OutputKind.STDERR), StandardCharsets.UTF_8);
        assertEquals(oracle(c.text, c.secrets), joined, "seed " + seed);
        for (LogEvent.Output o : LogFixtures.outputs(events)) {
            assertFalse(o.base64(), "valid UTF-8 input never needs base64 (seed " + seed + ")");
            for (String v : c.secrets.values()) assertFalse(o.data().contains(v), "seed " + seed);
        }
    }
}
