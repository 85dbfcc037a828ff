package io.jenkins.plugins.quire.pipeline;

import io.jenkins.plugins.quire.sandbox.HostError;

/**
 * The registration window of one pipeline load: {@code ci.job}/{@code ci.image} feed the {@link PipelineBuilder}
 * while ci.fnl's top level runs; afterwards the window is closed and further calls (e.g. from a run-fn) fail.
 * Written on the Lua thread, closed from the loader's thread, hence volatile.
 */
final class Registration {
    private final PipelineBuilder builder = new PipelineBuilder();
    private volatile boolean open = true;

    PipelineBuilder builder() {
        return builder;
    }

    void close() {
        open = false;
    }

    /** The message for a registration call made after loading finished. */
    static String closedMessage(String function) {
        return "quire.ci registration is closed: " + function
                + " can only be called while ci.fnl is loading (at its top level), not from a job's run function";
    }

    void requireOpen(String function) throws HostError {
        if (!open) throw new HostError(closedMessage(function));
    }
}
