package io.jenkins.plugins.quire.log;

/**
 * Redaction of one output stream that arrives in chunks. It holds back the shortest suffix that could be the start
 * of a secret (never more than the longest value minus one byte) until the next chunk or {@link #finish}, so a value
 * split across chunks is still replaced, and the concatenated output equals the whole-text redaction of the
 * concatenated input. Works on raw bytes, so it protects text and base64 (non-UTF-8) output alike.
 * Not thread-safe: one instance per stream.
 */
final class StreamRedactor {
    private final Redactor redactor;
    private final ByteBuf work = new ByteBuf();

    StreamRedactor(Redactor redactor) {
        this.redactor = redactor;
    }

    /** Redacts {@code b[off, off+len)} (after any held-back bytes) and appends what is decided to {@code out}. */
    void push(byte[] b, int off, int len, ByteBuf out) {
        SecretSet secrets = redactor.snapshot();
        if (secrets.isEmpty()) {
            out.append(work);
            work.clear();
            out.append(b, off, len);
            return;
        }
        work.append(b, off, len);
        int stop = secrets.scan(work.array(), 0, work.size(), false, out);
        work.dropFirst(stop);
    }

    /** End of stream: decides and appends the held-back bytes. */
    void finish(ByteBuf out) {
        redactor.snapshot().scan(work.array(), 0, work.size(), true, out);
        work.clear();
    }

    /** Bytes currently held back (for tests). */
    int heldBack() {
        return work.size();
    }
}
