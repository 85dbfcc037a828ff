package io.jenkins.plugins.quire.log;

/**
 * Redaction of one output stream that arrives in chunks. It holds back the shortest suffix that could be the start
 * of a secret (never more than the longest value minus one byte) until the next chunk or {@link #finish}, so a value
 * split across chunks is still replaced, and the concatenated output equals the whole-text redaction of the
 * concatenated input. A run of overlapping secrets (see {@link SecretSet}) that reaches the end of a chunk keeps
 * going into the next one: its marker is written once, when the run starts, and the rest of the run is swallowed,
 * so the hold-back stays within the longest value however long the run gets. Works on raw bytes, so it protects
 * text and base64 (non-UTF-8) output alike. Not thread-safe: one instance per stream.
 */
final class StreamRedactor {
    private final Redactor redactor;
    private final ByteBuf work = new ByteBuf();
    private final SecretSet.Run run = new SecretSet.Run();

    StreamRedactor(Redactor redactor) {
        this.redactor = redactor;
    }

    /** Redacts {@code b[off, off+len)} (after any held-back bytes) and appends what is decided to {@code out}. */
    void push(byte[] b, int off, int len, ByteBuf out) {
        SecretSet secrets = redactor.snapshot();
        if (secrets.isEmpty()) {
            run.bytes = 0;
            out.append(work);
            work.clear();
            out.append(b, off, len);
            return;
        }
        work.append(b, off, len);
        int stop = secrets.scan(work.array(), 0, work.size(), false, out, run);
        work.dropFirst(stop);
    }

    /** End of stream: decides and appends the held-back bytes. */
    void finish(ByteBuf out) {
        redactor.snapshot().scan(work.array(), 0, work.size(), true, out, run);
        work.clear();
        run.bytes = 0;
    }

    /** Bytes currently held back (for tests). */
    int heldBack() {
        return work.size();
    }
}
