package io.jenkins.plugins.quire.log;

import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The plain-text console sink (CLI): writes each line's text and {@code \n}; {@link #flush} (after each event, see
 * {@link ConsoleSink#flush}) flushes {@code out} when it is {@link Flushable}, so output is live without a system
 * call per line.
 */
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the console", e);
        }
    }

    @Override
    public void flush() {
        try {
            if (out instanceof Flushable f) f.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the console", e);
        }
    }
}
