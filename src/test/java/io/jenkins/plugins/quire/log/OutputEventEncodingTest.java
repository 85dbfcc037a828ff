package io.jenkins.plugins.quire.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The direct encoding of output events (EventCodec's fast path, {@link JsonEscaper}) must produce exactly the bytes
 * Jackson's generator produced before it, and read back to the same text: random bytes (valid and invalid UTF-8,
 * control characters, quotes, backslashes, 4-byte characters) decoded as the output pipeline decodes them, strings
 * with unpaired surrogates, and base64 chunks.
 */
class OutputEventEncodingTest {
    private static final Instant TS = Instant.parse("2026-12-05T18:20:01.123Z");

    private static String fast(LogEvent e) {
        ByteBuf b = new ByteBuf();
        EventCodec.encode(e, b);
        return new String(b.array(), 0, b.size(), StandardCharsets.UTF_8);
    }

    private static String generator(LogEvent e) {
        ByteBuf b = new ByteBuf();
        EventCodec.encodeWithGenerator(e, b);
        return new String(b.array(), 0, b.size(), StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(300)];
        String pool = "\"\\/\n\r\t\b\f\u0000\u0001\u001f\u007fé€😀a";
        byte[] poolBytes = pool.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            switch (r.nextInt(3)) {
                case 0 -> b[i] = (byte) r.nextInt(256); // anything, invalid sequences included
                case 1 -> b[i] = (byte) r.nextInt(0x80); // ASCII, controls included
                default -> b[i] = poolBytes[r.nextInt(poolBytes.length)]; // pieces of escapes and multi-byte characters
            }
        }
        return b;
    }

    @Test
    void textFromRandomBytesEncodesAsTheGeneratorDid() throws Exception {
        Random r = new Random(9);
        int differentFromAscii = 0;
        for (int i = 0; i < 20_000; i++) {
            String text = new String(randomBytes(r), StandardCharsets.UTF_8); // invalid input decodes to U+FFFD
            OutputKind k = r.nextBoolean() ? OutputKind.STDOUT : OutputKind.STDERR;
            LogEvent.Output e = new LogEvent.Output(TS, k, r.nextInt(1000), text, false);
            String expected = generator(e);
            assertEquals(expected, fast(e), () -> "text " + text);
            JsonNode back = EventCodec.MAPPER.readTree(expected);
            assertEquals(text, back.get("data").textValue());
            if (!expected.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\n')) differentFromAscii++;
        }
        assertEquals(true, differentFromAscii > 10_000, "the inputs should exercise escapes and multi-byte text");
    }

    /**
     * The writer escapes text output from the UTF-8 bytes it was decoded from ({@link JsonEscaper#appendUtf8}): for
     * every piece the output pipeline passes on as text, from random chunks (cut characters, invalid sequences, which
     * go the base64 way), the line must be the generator's, byte for byte.
     */
    @Test
    void textEscapedFromItsBytesEncodesAsTheGeneratorDid() {
        Random r = new Random(21);
        int[] pieces = {0};
        for (int i = 0; i < 5_000; i++) {
            OutputPipeline pipe = new OutputPipeline(new Redactor());
            OutputPipeline.Sink sink = new OutputPipeline.Sink() {
                @Override public void text(String text, byte[] utf8, int off, int len) {
                    LogEvent.Output e = new LogEvent.Output(TS, OutputKind.STDOUT, 7, text, false);
                    ByteBuf b = new ByteBuf();
                    EventCodec.encodeOutput(e, utf8, off, len, b);
                    assertEquals(generator(e), new String(b.array(), 0, b.size(), StandardCharsets.UTF_8), () -> "text " + text);
                    pieces[0]++;
                }

                @Override public void bytes(byte[] raw) { }
            };
            for (int c = r.nextInt(4); c >= 0; c--) {
                byte[] chunk = r.nextInt(3) == 0 ? randomBytes(r)
                        : new String(randomBytes(r), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8); // valid
                int cut = chunk.length == 0 ? 0 : r.nextInt(chunk.length);
                pipe.push(chunk, 0, cut, sink);
                pipe.push(chunk, cut, chunk.length - cut, sink);
            }
            pipe.finish(sink);
        }
        assertEquals(true, pieces[0] > 5_000, "pieces checked: " + pieces[0]);
    }

    @Test
    void unpairedSurrogatesBecomeReplacementCharacters() {
        String[] texts = {"a\uD800b", "\uDC00", "x\uD83D", "\uD83D\uDE00\uDE00", "\uD83D\uD83D\uDE00"};
        for (String t : texts) {
            LogEvent.Output e = new LogEvent.Output(TS, OutputKind.STDOUT, 1, t, false);
            LogEvent.Output cleaned = new LogEvent.Output(TS, OutputKind.STDOUT, 1, EventCodec.clean(t), false);
            assertEquals(generator(cleaned), fast(e), t);
        }
    }

    @Test
    void base64ChunksEncodeAsTheGeneratorDid() {
        Random r = new Random(3);
        for (int i = 0; i < 1000; i++) {
            String data = Base64.getEncoder().encodeToString(randomBytes(r));
            LogEvent.Output e = new LogEvent.Output(TS, OutputKind.STDERR, i, data, true);
            assertEquals(generator(e), fast(e));
        }
    }

    @Test
    void aLongChunkEncodesAsTheGeneratorDid() {
        Random r = new Random(5);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 64 * 1024) sb.append(new String(randomBytes(r), StandardCharsets.UTF_8));
        LogEvent.Output e = new LogEvent.Output(TS, OutputKind.STDOUT, 7, sb.toString(), false);
        assertEquals(generator(e), fast(e));
    }
}
