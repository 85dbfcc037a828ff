package io.jenkins.plugins.quire.log;

import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The plain-text console sink (CLI): writes each line's text and {@code \n}, and flushes so output is live. */
public final class AppendableConsoleSink implements ConsoleSink {
    private final Appendable out;

    /** {@code out}: e.g. {@code System.out} or a {@code StringBuilder}. */
    public AppendableConsoleSink(Appendable out) {
        this.out = out;
    }

    @Override
    public void line(LineKind kind, String text) {
        try {
            out.append(text).append('\n');
            if (out instanceof Flushable f) f.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the console", e);
        }
    }
}
