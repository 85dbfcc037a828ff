package io.jenkins.plugins.quire.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A log line could not be written. Unchecked so that output callbacks (stream threads, lambdas) can call the
 * log directly; the message always names the file, and lines written before the failure stay on disk.
 */
public final class LogWriteException extends UncheckedIOException {
    private final Path file;

    LogWriteException(Path file, String what, IOException cause) {
        super("cannot write log " + file + ": " + what, cause != null ? cause : new IOException(what));
        this.file = file;
    }

    /** The log file at fault. */
    public Path file() {
        return file;
    }
}
