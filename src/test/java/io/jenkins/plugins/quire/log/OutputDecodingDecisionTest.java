package io.jenkins.plugins.quire.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link OutputPipeline} decides text or raw bytes from one decoding pass (a second, strict check only when the
 * decoded text holds U+FFFD): the decision must equal the strict RFC 3629 check on random byte mixes of valid
 * characters, overlongs, surrogates, stray continuation bytes, U+FFFD itself and cut sequences.
 */
class OutputDecodingDecisionTest {
    private static final byte[][] PIECES = {
        "a".getBytes(StandardCharsets.UTF_8), "é".getBytes(StandardCharsets.UTF_8),
        "€".getBytes(StandardCharsets.UTF_8), "😀".getBytes(StandardCharsets.UTF_8),
        "\uFFFD".getBytes(StandardCharsets.UTF_8), {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82},
        {(byte) 0xF5}, {(byte) 0xFF}, "\n".getBytes(StandardCharsets.UTF_8)};

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void eachPieceIsTextExactlyWhenItIsStrictlyValidUtf8(long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        int count = 1 + r.nextInt(60);
        for (int i = 0; i < count; i++) {
            // mostly valid pieces, so that whole chunks of valid text (with and without U+FFFD) are common
            byte[] p = r.nextInt(4) == 0 ? PIECES[r.nextInt(PIECES.length)] : PIECES[r.nextInt(5)];
            in.writeBytes(p);
        }
        byte[] data = in.toByteArray();
        List<Object> pieces = new ArrayList<>();
        OutputPipeline.Sink sink = new OutputPipeline.Sink() {
            @Override
            public void text(String text, byte[] utf8, int off, int len) {
                pieces.add(text);
            }

            @Override
            public void bytes(byte[] raw) {
                pieces.add(raw);
            }
        };
        OutputPipeline pipe = new OutputPipeline(new Redactor());
        int pos = 0;
        while (pos < data.length) {
            int len = Math.min(data.length - pos, 1 + r.nextInt(9));
            pipe.push(data, pos, len, sink);
            pos += len;
        }
        pipe.finish(sink);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Object p : pieces) {
            byte[] b = p instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) p;
            if (p instanceof String) {
                assertEquals(-1, Utf8.firstInvalid(b, 0, b.length), "a text piece must be valid UTF-8");
            } else {
                assertTrue(Utf8.firstInvalid(b, 0, b.length) >= 0, "a raw piece must hold invalid UTF-8");
            }
            joined.writeBytes(b);
        }
        assertArrayEquals(data, joined.toByteArray(), "every byte passes, in order");
    }
}
