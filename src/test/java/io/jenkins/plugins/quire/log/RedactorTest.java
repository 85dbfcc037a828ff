package io.jenkins.plugins.quire.log;

import static io.jenkins.plugins.quire.log.LogFixtures.CLOCK;
import static io.jenkins.plugins.quire.log.LogFixtures.outputs;
import static io.jenkins.plugins.quire.log.LogFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactorTest {
    @TempDir
    Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    private static Redactor redactor(String... nameValue) {
        Redactor r = new Redactor();
        for (int i = 0; i < nameValue.length; i += 2) r.add(nameValue[i], nameValue[i + 1]);
        return r;
    }

    @Test
    void everyOccurrenceIsReplacedByTheMarker() {
        Redactor r = redactor("token", "hunter2");
        assertEquals("a {{ token }} b {{ token }}{{ token }}", r.redact("a hunter2 b hunter2hunter2"));
    }

    @Test
    void anEmptyRegistryIsTheIdentity() {
        String s = "hunter2";
        assertSame(s, new Redactor().redact(s));
        assertTrue(new Redactor().isEmpty());
    }

    @Test
    void textWithoutSecretsIsReturnedUnchanged() {
        String s = "hunter3 hunter hunte";
        assertSame(s, redactor("token", "hunter2").redact(s));
    }

    @Test
    void oneCharacterValuesAreRedactedEverywhere() {
        assertEquals("{{ x }}bc{{ x }}", redactor("x", "a").redact("abca"));
    }

    @Test
    void overlappingValuesAreRedactedAsOneRunNamedAfterTheFirst() {
        Redactor r = redactor("user", "userXpass", "pw", "password-9f8e7d6c");
        assertEquals("login {{ user }} ok", r.redact("login userXpassword-9f8e7d6c ok"));
        assertEquals("{{ pw }}{{ user }}", r.redact("password-9f8e7d6cuserXpass")); // touching: a marker each
        assertEquals("{{ x }}", redactor("x", "aa").redact("aaaaa")); // overlapping occurrences of one value
    }

    @Test
    void overlappingValuesAcrossEveryChunkBoundaryStreamLikeTheWholeText() {
        Redactor r = redactor("user", "userXpass", "pw", "password-9f8e7d6c");
        byte[] in = utf8("a userXpassword-9f8e7d6c b aaaa userXpasuserXpassword-9f8e7d6 userXpassword-9f8e7d6c");
        byte[] whole = r.redact(in);
        assertFalse(new String(whole, StandardCharsets.UTF_8).contains("9f8e7d6c"));
        for (int cut1 = 0; cut1 <= in.length; cut1++) {
            for (int cut2 = cut1; cut2 <= in.length; cut2 += 3) {
                StreamRedactor s = r.newStream();
                ByteBuf out = new ByteBuf();
                s.push(in, 0, cut1, out);
                assertTrue(s.heldBack() < "password-9f8e7d6c".length(), "held back " + s.heldBack());
                s.push(in, cut1, cut2 - cut1, out);
                s.push(in, cut2, in.length - cut2, out);
                s.finish(out);
                assertArrayEquals(whole, out.toByteArray(), "cuts " + cut1 + ", " + cut2);
            }
        }
    }

    @Test
    void aLongRunOfOverlapsHoldsBackNoMoreThanTheLongestValue() {
        Redactor r = redactor("x", "abab");
        StreamRedactor s = r.newStream();
        ByteBuf out = new ByteBuf();
        byte[] chunk = utf8("ab");
        for (int i = 0; i < 1000; i++) {
            s.push(chunk, 0, chunk.length, out);
            assertTrue(s.heldBack() < 4, "held back " + s.heldBack());
        }
        s.finish(out);
        assertEquals("{{ x }}", new String(out.toByteArray(), StandardCharsets.UTF_8));
    }

    @Test
    void theLongestValueWinsWhereValuesOverlap() {
        Redactor r = redactor("short", "abc", "long", "abcdef");
        assertEquals("{{ long }} {{ short }}", r.redact("abcdef abc"));
    }

    @Test
    void twoNamesWithOneValueRedactToTheAlphabeticallyFirstName() {
        assertEquals("{{ alpha }}", redactor("zulu", "same", "alpha", "same").redact("same"));
    }

    @Test
    void markersAreNeverScannedAgainByShorterValues() {
        // 'e' occurs in the marker "{{ token }}": a sequential replace would mangle it.
        Redactor r = redactor("token", "secret", "e", "e");
        assertEquals("{{ token }} h{{ e }}r{{ e }}", r.redact("secret here"));
    }

    @Test
    void nestedJsonValuesKeysAndNumbersAreRedacted() throws Exception {
        Redactor r = redactor("pw", "hunter2", "pin", "4711");
        JsonNode in = mapper.readTree("{\"a\":[\"x hunter2\",{\"hunter2\":47110}],\"b\":true,\"c\":null,\"d\":12}");
        JsonNode out = r.redact(in);
        assertEquals(mapper.readTree("{\"a\":[\"x {{ pw }}\",{\"{{ pw }}\":\"{{ pin }}0\"}],\"b\":true,\"c\":null,\"d\":12}"), out);
        JsonNode clean = mapper.readTree("{\"a\":[1,\"x\"]}");
        assertSame(clean, r.redact(clean));
    }

    @Test
    void valuesAreRedactedInCmdErrorOutputsAndRunFields() throws Exception {
        Redactor r = redactor("tok", "s3cr3t-v");
        try (RunLog log = RunLog.open(dir, r, CLOCK)) {
            log.containerStart("img:s3cr3t-v", "id");
            log.containerDied("died with s3cr3t-v");
            JobLog job = log.job("j");
            job.shStart(1, "curl -H 'X: s3cr3t-v'");
            job.shExit(1, 0, 1, null);
            log.jobEnd("j", JobState.FAILED, 1, "ci.fnl:1: bad s3cr3t-v",
                    mapper.readTree("{\"deep\":[{\"v\":\"s3cr3t-v\"}]}"));
        }
        List<LogEvent> run = JsonlReader.readAll(dir.resolve("log.jsonl"));
        assertEquals("img:{{ tok }}", ((LogEvent.ContainerStart) run.get(0)).image());
        assertEquals("died with {{ tok }}", ((LogEvent.ContainerDied) run.get(1)).reason());
        LogEvent.JobEnd end = (LogEvent.JobEnd) run.get(2);
        assertEquals("ci.fnl:1: bad {{ tok }}", end.error());
        assertEquals(mapper.readTree("{\"deep\":[{\"v\":\"{{ tok }}\"}]}"), end.outputs());
        List<LogEvent> jobEvents = JsonlReader.readAll(dir.resolve("jobs/j/log.jsonl"));
        assertEquals("curl -H 'X: {{ tok }}'", ((LogEvent.ShStart) jobEvents.get(0)).cmd());
    }

    private List<LogEvent> stream(Redactor r, byte[] data, int... cuts) throws Exception {
        try (RunLog log = RunLog.open(dir, r, CLOCK)) {
            JobLog job = log.job("j");
            job.shStart(1, "x");
            LogFixtures.feed(job, OutputKind.STDOUT, data, cuts);
            job.shExit(1, 0, 1, null);
        }
        return JsonlReader.readAll(dir.resolve("jobs/j/log.jsonl"));
    }

    private static String text(List<LogEvent> events) {
        return new String(LogFixtures.joined(events, OutputKind.STDOUT), StandardCharsets.UTF_8);
    }

    @Test
    void aValueSplitAcrossTwoChunksIsRedacted() throws Exception {
        Redactor r = redactor("tok", "hunter2");
        for (int cut = 1; cut < 7; cut++) {
            List<LogEvent> events = stream(r, utf8("say hunter2 now"), 4 + cut, 100);
            assertEquals("say {{ tok }} now", text(events), "cut " + cut);
            for (LogEvent.Output o : outputs(events)) assertFalse(o.data().contains("hunt") && o.data().contains("er2"));
        }
    }

    @Test
    void aValueLongerThanTheChunksIsRedacted() throws Exception {
        assertEquals("<{{ tok }}>", text(stream(redactor("tok", "0123456789abcdef"), utf8("<0123456789abcdef>"), 3)));
    }

    @Test
    void onlyTheShortestPossibleSecretStartIsHeldBack() throws Exception {
        Redactor r = redactor("tok", "hunter2");
        StreamRedactor s = r.newStream();
        ByteBuf out = new ByteBuf();
        s.push(utf8("abc hun"), 0, 7, out);
        assertEquals("abc ", new String(out.toByteArray(), StandardCharsets.UTF_8));
        assertEquals(3, s.heldBack());
        s.push(utf8("ted"), 0, 3, out);
        assertEquals(0, s.heldBack(), "'hunted' cannot become the secret any more");
        s.finish(out);
        assertEquals("abc hunted", new String(out.toByteArray(), StandardCharsets.UTF_8));
    }

    @Test
    void heldBackBytesAreFlushedAtShExit() throws Exception {
        List<LogEvent> events = stream(redactor("tok", "hunter2"), utf8("ends with hunt"), 100);
        assertEquals("ends with hunt", text(events));
        assertEquals("sh-exit", events.get(events.size() - 1).kind());
    }

    @Test
    void aShorterValueStillMatchesWhenTheLongerOneDoesNotComplete() throws Exception {
        Redactor r = redactor("short", "ab", "long", "abcd");
        assertEquals("{{ short }}cx {{ long }}", text(stream(r, utf8("abcx abcd"), 1)));
    }

    @Test
    void oneCharacterValuesWorkInStreams() throws Exception {
        assertEquals("{{ c }}{{ c }}b{{ c }}", text(stream(redactor("c", "a"), utf8("aaba"), 1)));
    }

    @Test
    void valuesAreRedactedInTheBase64PathBeforeEncoding() throws Exception {
        Redactor r = redactor("tok", "hunter2");
        byte[] data = {(byte) 0xFF, 'h', 'u', 'n', 't', 'e', 'r', '2', (byte) 0xFE};
        List<LogEvent> events = stream(r, data, 4, 100);
        byte[] all = LogFixtures.joined(events, OutputKind.STDOUT);
        byte[] expected = new byte[] {(byte) 0xFF, '{', '{', ' ', 't', 'o', 'k', ' ', '}', '}', (byte) 0xFE};
        assertArrayEquals(expected, all);
        assertTrue(outputs(events).stream().allMatch(LogEvent.Output::base64));
    }

    @Test
    void aValueAddedDuringTheRunAppliesFromThenOn() throws Exception {
        Redactor r = new Redactor();
        try (RunLog log = RunLog.open(dir, r, CLOCK)) {
            JobLog job = log.job("j");
            job.shStart(1, "before hunter2");
            r.add("tok", "hunter2");
            job.shStart(2, "after hunter2");
        }
        List<LogEvent> events = JsonlReader.readAll(dir.resolve("jobs/j/log.jsonl"));
        assertEquals("before hunter2", ((LogEvent.ShStart) events.get(0)).cmd());
        assertEquals("after {{ tok }}", ((LogEvent.ShStart) events.get(1)).cmd());
    }

    @Test
    void toStringShowsNamesNotValues() {
        String s = redactor("tok", "hunter2").toString();
        assertTrue(s.contains("tok") && !s.contains("hunter2"), s);
    }
}
