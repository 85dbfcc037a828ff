package io.jenkins.plugins.quire.log;

import java.io.IOException;
import java.nio.file.Path;

/** A complete line of a JSONL log is not a valid event; the message names the file and the 1-based line. */
public final class LogReadException extends IOException {
    LogReadException(Path file, long line, String problem, Throwable cause) {
        super(file + ":" + line + ": " + problem, cause);
    }
}
