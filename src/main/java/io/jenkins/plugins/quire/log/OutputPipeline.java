package io.jenkins.plugins.quire.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The path of one output stream of one {@code sh}: raw chunks → redaction (with hold-back) → stateful UTF-8
 * decoding → text or base64 pieces. A character split across chunks is carried to the next chunk so it comes out
 * whole; a chunk holding invalid UTF-8 is passed on as raw bytes (the caller base64-encodes them); at the end a
 * dangling partial character is passed on as raw bytes too. Not thread-safe: one instance per stream.
 */
final class OutputPipeline {
    /** Receives the decided pieces in order. */
    interface Sink {
        /**
         * A piece of text, with the valid UTF-8 bytes it was decoded from ({@code utf8[off, off+len)}, only valid
         * during the call): a sink may write those instead of encoding the text again.
         */
        void text(String text, byte[] utf8, int off, int len);

        void bytes(byte[] raw);
    }

    private final StreamRedactor redactor;
    private final ByteBuf buffer = new ByteBuf(64 * 1024 + 64);
    private final ByteBuf utf8Carry = new ByteBuf(8);

    OutputPipeline(Redactor redactor) {
        this.redactor = redactor.newStream();
    }

    void push(byte[] b, int off, int len, Sink sink) {
        buffer.clear();
        buffer.append(utf8Carry);
        utf8Carry.clear();
        redactor.push(b, off, len, buffer);
        decode(sink, false);
    }

    /** End of stream: flushes held-back bytes; a dangling partial character becomes a raw piece. */
    void finish(Sink sink) {
        buffer.clear();
        buffer.append(utf8Carry);
        utf8Carry.clear();
        redactor.finish(buffer);
        decode(sink, true);
    }

    private void decode(Sink sink, boolean endOfStream) {
        byte[] a = buffer.array();
        int end = buffer.size();
        int tail = endOfStream ? end : Utf8.incompleteTailStart(a, 0, end);
        if (tail > 0) {
            // Decoding replaces every invalid sequence with U+FFFD, so text without one was valid and needs no second
            // pass; only text holding U+FFFD (an error, or the character itself) gets the strict check.
            String text = new String(a, 0, tail, StandardCharsets.UTF_8);
            if (text.indexOf('\uFFFD') < 0 || Utf8.firstInvalid(a, 0, tail) < 0) sink.text(text, a, 0, tail);
            else sink.bytes(Arrays.copyOf(a, tail));
        }
        utf8Carry.append(a, tail, end - tail);
    }
}
