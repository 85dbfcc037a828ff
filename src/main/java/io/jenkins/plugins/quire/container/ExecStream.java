package io.jenkins.plugins.quire.container;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Why: receives one exec's multiplexed output on docker-java's stream thread and hands each chunk, copied
 * (docker-java reuses its 1 KiB buffer), to our listener as it arrives. Records how the stream ended and never
 * logs or rethrows (docker-java's Adapter would log at ERROR). A failing listener is remembered, further output
 * is dropped, and the exec is aborted by the caller.
 */
final class ExecStream implements ResultCallback<Frame> {
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
    }

    @Override public void onNext(Frame f) {
        byte[] p = f.getPayload();
        if (p == null || p.length == 0) return;
        boolean err = f.getStreamType() == StreamType.STDERR;
        if (err) stderrBytes += p.length; else stdoutBytes += p.length;
        if (listenerError != null) return;
        byte[] copy = Arrays.copyOf(p, p.length);
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
    @Override public void close() {
        closedByCaller = true;
        try {
            Closeable s = stream;
            if (s != null) s.close();
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
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
