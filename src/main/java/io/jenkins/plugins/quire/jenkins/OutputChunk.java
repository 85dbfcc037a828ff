package io.jenkins.plugins.quire.jenkins;

/**
 * A run of consecutive output of one stream inside an {@code sh} block, as the Quire CI page shows it (stderr in
 * another colour). Plain text: the Jelly view escapes it.
 */
public final class OutputChunk {
    private final String stream;
    private final StringBuilder text = new StringBuilder();

    OutputChunk(String stream) {
        this.stream = stream;
    }

    /** {@code stdout} or {@code stderr}. */
    public String getStream() {
        return stream;
    }

    public boolean isStderr() {
        return "stderr".equals(stream);
    }

    public String getText() {
        return text.toString();
    }

    int length() {
        return text.length();
    }

    void append(String s) {
        text.append(s);
    }

    /** Drops the first {@code n} characters (the page keeps only the tail of very long output). */
    void dropHead(int n) {
        text.delete(0, Math.min(n, text.length()));
    }
}
