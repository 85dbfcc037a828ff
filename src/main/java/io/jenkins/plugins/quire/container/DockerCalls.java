package io.jenkins.plugins.quire.container;

import com.github.dockerjava.api.exception.DockerException;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Why: docker-java's response/connect timeouts do nothing on the unix socket, so a hung dockerd would hang
 * every call. Each blocking call runs on a worker thread and we wait for it with our own deadline; connection
 * failures become {@link EngineUnavailableException}. docker-java's HTTP errors (404, 409, ...) pass through
 * unchanged for the backend's own handling.
 */
final class DockerCalls {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "quire-docker-call-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final String host;
    private final Duration timeout;

    DockerCalls(String host, Duration timeout) {
        this.host = host;
        this.timeout = timeout;
    }

    String host() {
        return host;
    }

    Duration timeout() {
        return timeout;
    }

    <T> T call(String what, Callable<T> body) {
        return call(what, timeout, body);
    }

    /** Runs body with a deadline. Interruption of the caller is kept (flag re-set) and reported as ContainerException. */
    <T> T call(String what, Duration limit, Callable<T> body) {
        Future<T> f = WORKERS.submit(body);
        try {
            return f.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw noAnswer(what, limit, f, e);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while waiting for Docker (" + what + ")", e);
        } catch (ExecutionException e) {
            throw failure(what, e);
        }
    }

    /**
     * As {@link #call}, but an interrupt of the caller does not cut the call short: it waits for the answer (or the
     * deadline) all the same and re-sets the flag afterwards. For the calls of an exec, whose caller must know what
     * the engine did: an exec created or started and then forgotten would run on unsupervised, and a process killer
     * cut short would look like a killer that cannot run.
     */
    <T> T callThroughInterrupt(String what, Duration limit, Callable<T> body) {
        boolean interrupted = Thread.interrupted();
        try {
            Future<T> f = WORKERS.submit(body);
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                try {
                    return f.get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (TimeoutException e) {
                    throw noAnswer(what, limit, f, e);
                } catch (ExecutionException e) {
                    throw failure(what, e);
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    <T> T callThroughInterrupt(String what, Callable<T> body) {
        return callThroughInterrupt(what, timeout, body);
    }

    private EngineUnavailableException noAnswer(String what, Duration limit, Future<?> f, TimeoutException e) {
        f.cancel(true);
        return new EngineUnavailableException("Docker engine at " + host + " did not answer within " + seconds(limit)
                + " (" + what + ")", e);
    }

    private RuntimeException failure(String what, ExecutionException e) {
        Throwable c = e.getCause();
        if (isConnectionFailure(c))
            return new EngineUnavailableException("Docker engine is not reachable at " + host + " (" + what + "): "
                    + rootMessage(c), c);
        if (c instanceof RuntimeException) return (RuntimeException) c;
        if (c instanceof Error) throw (Error) c;
        return new ContainerException("Docker call failed (" + what + "): " + rootMessage(c), c);
    }

    /** Runs body with a deadline, ignoring every failure (teardown paths). */
    void quietly(String what, Runnable body) {
        try {
            call(what, () -> { body.run(); return null; });
        } catch (RuntimeException ignored) {
            // best effort
        }
    }

    /** Not an HTTP answer from the engine but a failure to talk to it at all. */
    static boolean isConnectionFailure(Throwable t) {
        if (t instanceof DockerException) return false;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException) return true;
        }
        return false;
    }

    /** The engine's message without docker-java's "Status 404: {"message":...}" wrapping. */
    static String engineMessage(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        java.util.regex.Matcher x = java.util.regex.Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(m);
        return x.find() ? x.group(1).replace("\\\"", "\"").replace("\\n", " ").trim() : m.trim();
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : c.getClass().getSimpleName() + ": " + m;
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    static void runAsync(Runnable r) {
        WORKERS.execute(r);
    }

    /** Runs {@code s} on a worker thread: for independent Docker calls made side by side. */
    static <T> java.util.concurrent.CompletableFuture<T> async(java.util.function.Supplier<T> s) {
        return java.util.concurrent.CompletableFuture.supplyAsync(s, WORKERS);
    }
}
