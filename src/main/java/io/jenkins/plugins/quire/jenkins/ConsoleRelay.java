package io.jenkins.plugins.quire.jenkins;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Why: the console lines of a run on an agent arrive through a remoting stream, and its last bytes may still be on
 * their way when the run's call has returned. This relay writes into the build log, never closes it (the build
 * goes on writing), and lets the build wait until the sender has closed its end ({@link #awaitClosed}).
 */
final class ConsoleRelay extends OutputStream {
    private final PrintStream logger;
    private boolean closed;

    ConsoleRelay(PrintStream logger) {
        this.logger = logger;
    }

    @Override
    public void write(int b) {
        logger.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        logger.write(b, off, len);
    }

    @Override
    public void flush() {
        logger.flush();
    }

    @Override
    public synchronized void close() {
        logger.flush();
        closed = true;
        notifyAll();
    }

    /** Waits until the sender closed its end, at most {@code millis}; false when it did not in time. */
    synchronized boolean awaitClosed(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!closed) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    @Override
    public String toString() {
        return "build console";
    }

}
