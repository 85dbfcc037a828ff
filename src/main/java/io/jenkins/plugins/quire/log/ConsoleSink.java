package io.jenkins.plugins.quire.log;

/**
 * Where {@link ConsoleFormatter} sends finished lines. {@code text} never contains a line break; the sink adds its
 * own. The CLI prints the text as is ({@link AppendableConsoleSink}); the Jenkins console adds a marker per kind.
 */
@FunctionalInterface
public interface ConsoleSink {
    void line(LineKind kind, String text);
}
