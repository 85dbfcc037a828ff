package io.jenkins.plugins.quire.run;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Why: connecting to the Docker engine does not depend on the pipeline, and in a fresh JVM (every command-line run)
 * it costs over a second of class loading and interpretation before its one {@code /version} call; it runs on a
 * daemon thread while the pipeline compiles, and the run takes the connection when it needs it. Nothing changes but
 * when the work is done: the run gets the same connection, or the same exception, as if it had connected itself;
 * a connection nobody took (the pipeline was invalid, the run was aborted) is closed, also when it arrives later.
 * @param <T> the connection
 */
final class EarlyConnect<T extends AutoCloseable> implements AutoCloseable {
    private enum State { OPEN, TAKEN, ABANDONED }

    private final CompletableFuture<T> connected = new CompletableFuture<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;

    /** Starts {@code connect} on a daemon thread, which ends once it is done. */
    EarlyConnect(String name, Supplier<T> connect) {
        thread = new Thread(() -> {
            T c;
            try {
                c = connect.get();
            } catch (RuntimeException | Error e) {
                connected.completeExceptionally(e);
                return;
            }
            connected.complete(c);
            if (state.get() == State.ABANDONED) closeOnce(c);   // given up before it arrived: nobody will take it
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The connection, once made (the connect's own deadlines bound the wait); from now on it is the caller's to close.
     * @throws RuntimeException the connect's own exception, as the caller would have got it connecting itself
     * @throws IllegalStateException when this was closed before
     */
    T take() throws InterruptedException {
        if (!state.compareAndSet(State.OPEN, State.TAKEN)) throw new IllegalStateException("the connection was " + state.get());
        try {
            return connected.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            state.set(State.ABANDONED);                     // the caller stops here: the connection is closed now or on arrival
            if (connected.isDone() && !connected.isCompletedExceptionally()) closeOnce(connected.join());
            throw e;
        }
    }

    /** The background thread (it ends by itself once connected). */
    Thread thread() {
        return thread;
    }

    /**
     * Gives the connection up when it was not taken: closed now when it is there, else as soon as it arrives. A
     * connection already taken is the taker's and is left alone.
     */
    @Override public void close() {
        if (!state.compareAndSet(State.OPEN, State.ABANDONED)) return;
        if (connected.isDone() && !connected.isCompletedExceptionally()) closeOnce(connected.join());
    }

    private void closeOnce(T c) {
        if (!closed.compareAndSet(false, true)) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // a connection nobody uses
        }
    }
}
