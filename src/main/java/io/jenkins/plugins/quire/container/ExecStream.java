package io.jenkins.plugins.quire.container;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Why: receives one exec's multiplexed output on its stream thread ({@link DockerStreams}) and hands each Docker
 * frame, copied (the reader reuses its buffer), to our listener as it arrives. Records how the stream ended and never
 * logs or rethrows. A failing listener is remembered, further output is dropped, and the exec is aborted by the
 * caller.
 */
final class ExecStream implements DockerStreams.Receiver {
    private final ExecListener listener;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Closeable stream;
    private volatile Throwable error;
    private volatile Throwable listenerError;
    private volatile boolean closedByCaller;
    private volatile long endNanos;
    private volatile long stdoutBytes;
    private volatile long stderrBytes;

    ExecStream(ExecListener listener) {
        this.listener = listener == null ? ExecListener.DISCARD : listener;
    }

    @Override public void onStart(Closeable s) {
        stream = s;
        if (closedByCaller) closeQuietly(s);    // closed before the engine answered: not read on for nothing
    }

    private static void closeQuietly(Closeable s) {
        try {
            s.close();
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
    }

    @Override public void output(boolean err, byte[] b, int off, int len) {
        if (len == 0) return;
        if (err) stderrBytes += len; else stdoutBytes += len;
        if (listenerError != null) return;
        byte[] copy = Arrays.copyOfRange(b, off, off + len);
        try {
            if (err) listener.onStderr(copy, 0, copy.length); else listener.onStdout(copy, 0, copy.length);
        } catch (Throwable t) {
            listenerError = t;
        }
    }

    @Override public void onError(Throwable t) {
        if (!closedByCaller && error == null) error = t;
        finish();
    }

    @Override public void onComplete() {
        finish();
    }

    private void finish() {
        if (endNanos == 0) endNanos = System.nanoTime();
        done.countDown();
    }

    /** Closes the HTTP stream only; the process in the container is NOT signalled. */
    void close() {
        closedByCaller = true;
        try {
            Closeable s = stream;
            if (s != null) closeQuietly(s);
        } finally {
            finish();
        }
    }

    boolean await(long millis) throws InterruptedException {
        return done.await(millis, TimeUnit.MILLISECONDS);
    }

    boolean ended() {
        return done.getCount() == 0;
    }

    long endNanos() {
        return endNanos;
    }

    Throwable error() {
        return error;
    }

    Throwable listenerError() {
        return listenerError;
    }

    boolean closedByCaller() {
        return closedByCaller;
    }

    long stdoutBytes() {
        return stdoutBytes;
    }

    long stderrBytes() {
        return stderrBytes;
    }
}
