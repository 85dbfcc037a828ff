package io.jenkins.plugins.quire.cli;

import io.jenkins.plugins.quire.run.PipelineRunner;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT and SIGTERM into an orderly abort of the running pipeline (the sh is killed, the container removed,
 * the logs closed with status {@code aborted}) instead of an abrupt JVM exit; the command then exits with 130.
 * The previous handlers come back when it is closed.
 */
final class InterruptHandler implements AutoCloseable {
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private InterruptHandler() {}

    static InterruptHandler install(PipelineRunner runner) {
        InterruptHandler h = new InterruptHandler();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal s = new Signal(name);
                SignalHandler old = Signal.handle(s, sig -> runner.abort("interrupted by SIG" + sig.getName()));
                h.signals.add(s);
                h.previous.add(old);
            } catch (IllegalArgumentException e) {
                // the signal is not available on this platform or is reserved by the JVM: leave it as it is
            }
        }
        return h;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) Signal.handle(signals.get(i), previous.get(i));
    }
}
