package io.jenkins.plugins.quire.log;

import static io.jenkins.plugins.quire.log.LogFixtures.CLOCK;
import static io.jenkins.plugins.quire.log.LogFixtures.outputs;
import static io.jenkins.plugins.quire.log.LogFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputEncodingTest {
    @TempDir
    Path dir;

    private List<LogEvent> run(byte[] data, int... cuts) throws Exception {
        try (RunLog log = RunLog.open(dir, new Redactor(), CLOCK)) {
            JobLog job = log.job("j");
            job.shStart(1, "x");
            LogFixtures.feed(job, OutputKind.STDOUT, data, cuts);
            job.shExit(1, 0, 1, null);
        }
        return JsonlReader.readAll(dir.resolve("jobs/j/log.jsonl"));
    }

    @Test
    void invalidUtf8IsWrittenAsBase64AndRoundTripsToTheOriginalBytes() throws Exception {
        byte[] data = {'a', (byte) 0xC3, 0x28, 'b', (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'};
        List<LogEvent.Output> out = outputs(run(data, 100));
        assertEquals(1, out.size());
        assertTrue(out.get(0).base64());
        assertArrayEquals(data, out.get(0).bytes());
    }

    @Test
    void theBase64EventCarriesTheEncodingField() throws Exception {
        run(new byte[] {(byte) 0xC0, (byte) 0x80}, 10);
        String line = LogFixtures.lines(dir.resolve("jobs/j/log.jsonl")).get(1);
        assertTrue(line.endsWith(",\"n\":1,\"data\":\"wIA=\",\"encoding\":\"base64\"}"), line);
    }

    @Test
    void aMultiByteCharacterSplitAcrossChunksComesOutWholeInOneTextEvent() throws Exception {
        for (String ch : new String[] {"é", "€", "😀"}) {
            byte[] c = utf8(ch);
            for (int cut = 1; cut < c.length; cut++) {
                byte[] data = utf8("x" + ch + "y");
                List<LogEvent.Output> out = outputs(run(data, 1 + cut, 100));
                assertEquals(2, out.size(), ch + " cut " + cut);
                assertEquals("x", out.get(0).data());
                assertEquals(ch + "y", out.get(1).data());
                assertFalse(out.get(0).base64() || out.get(1).base64());
            }
        }
    }

    @Test
    void aCharacterFedOneByteAtATimeStillComesOutWhole() throws Exception {
        List<LogEvent.Output> out = outputs(run(utf8("😀"), 1));
        assertEquals(1, out.size());
        assertEquals("😀", out.get(0).data());
    }

    @Test
    void aDanglingPartialCharacterAtEndOfStreamIsFlushedAsBase64AtShExit() throws Exception {
        byte[] data = {'o', 'k', (byte) 0xE2, (byte) 0x82};
        List<LogEvent> events = run(data, 100);
        List<LogEvent.Output> out = outputs(events);
        assertEquals(2, out.size());
        assertEquals("ok", out.get(0).data());
        assertTrue(out.get(1).base64());
        assertArrayEquals(new byte[] {(byte) 0xE2, (byte) 0x82}, out.get(1).bytes());
        assertEquals("sh-exit", events.get(events.size() - 1).kind(), "flushed before sh-exit");
    }

    @Test
    void randomBytesInRandomChunksRoundTripExactly() throws Exception {
        for (long seed : new long[] {1, 2, 3, 42, 1234, 99999}) {
            Random r = new Random(seed);
            byte[] data = new byte[2000 + r.nextInt(3000)];
            // mostly text with some multi-byte characters and occasional garbage
            String alphabet = "abc\né€😀";
            int i = 0;
            while (i < data.length) {
                if (r.nextInt(40) == 0) {
                    data[i++] = (byte) r.nextInt(256);
                    continue;
                }
                int cp = alphabet.codePointAt(alphabet.offsetByCodePoints(0, r.nextInt(alphabet.codePointCount(0, alphabet.length()))));
                byte[] c = utf8(new String(Character.toChars(cp)));
                for (int k = 0; k < c.length && i < data.length; k++) data[i++] = c[k];
            }
            int[] cuts = new int[50];
            for (int k = 0; k < cuts.length; k++) cuts[k] = 1 + r.nextInt(200);
            List<LogEvent> events = run(data, cuts);
            assertArrayEquals(data, LogFixtures.joined(events, OutputKind.STDOUT), "seed " + seed);
            for (LogEvent.Output o : outputs(events)) {
                if (!o.base64()) assertEquals(-1, Utf8.firstInvalid(utf8(o.data()), 0, utf8(o.data()).length));
            }
        }
    }

    @Test
    void strictUtf8RejectsOverlongsSurrogatesAndOutOfRangeAndAcceptsTheExtremes() {
        byte[][] invalid = {
            {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0x80}, {(byte) 0xC3, 'a'}};
        for (byte[] b : invalid) assertEquals(0, Utf8.firstInvalid(b, 0, b.length));
        byte[] valid = utf8("\u0000\u007f\u0080\u07ff\u0800\uffff\ud800\udc00\udbff\udfff");
        assertEquals(-1, Utf8.firstInvalid(valid, 0, valid.length));
        byte[] cut = {'a', (byte) 0xF0, (byte) 0x9F, (byte) 0x98};
        assertEquals(1, Utf8.incompleteTailStart(cut, 0, cut.length));
        byte[] whole = utf8("a😀");
        assertEquals(whole.length, Utf8.incompleteTailStart(whole, 0, whole.length));
    }

    @Test
    void aHugeChunkIsWrittenAsEventsOfAtMost64KiB() throws Exception {
        byte[] data = utf8("0123456789abcdef".repeat(200 * 1024 / 16));
        List<LogEvent> events = run(data, data.length);
        List<LogEvent.Output> out = outputs(events);
        assertEquals(4, out.size());
        for (LogEvent.Output o : out) assertTrue(o.bytes().length <= JobLog.MAX_CHUNK);
        assertArrayEquals(data, LogFixtures.joined(events, OutputKind.STDOUT));
    }
}
