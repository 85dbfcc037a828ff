package io.jenkins.plugins.quire.log;

/**
 * Receives every event right after {@link RunLog} wrote it, already redacted and in file order, so the console
 * (CLI and Jenkins) shows exactly what the JSONL holds. Calls are serialised by the run log (never concurrent).
 */
@FunctionalInterface
public interface LogListener {
    /**
     * @param job the id of the job whose file received the event, or null for events of the run file
     *     ({@code job-start}/{@code job-end} carry their job in the event itself)
     */
    void onEvent(String job, LogEvent event);

    /**
     * A text output event, with the valid UTF-8 bytes its text was decoded from ({@code utf8[off, off+len)}, only
     * valid during the call): a listener that writes bytes may use them instead of encoding the text again.
     */
    default void onOutput(String job, LogEvent.Output event, byte[] utf8, int off, int len) {
        onEvent(job, event);
    }
}
