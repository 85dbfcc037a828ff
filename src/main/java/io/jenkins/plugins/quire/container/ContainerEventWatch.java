package io.jenkins.plugins.quire.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;

import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Why: container death and OOM kills never surface as docker-java exceptions; they show only in the engine's
 * event stream. This follows one container's events for the whole run: "oom" counts, each exec's "exec_die"
 * (dockerd sends a command's "oom" before its "exec_die", so exec_die is a barrier), "kill" signals and "die".
 * When the stream ends while the run is still open, the engine is probed: unreachable means the container is
 * lost ("Docker engine is no longer reachable"); otherwise the subscription is renewed. Deaths go to the run's one
 * {@link ContainerDeath}: a die/destroy event marks it dead and asks for the reason to be read ({@code inspect}); an
 * engine loss records its reason directly.
 */
final class ContainerEventWatch implements ResultCallback<Event> {
    private final DockerClient docker;
    private final DockerCalls calls;
    private final String containerId;
    private final ContainerDeath death;
    /** Called (on the events thread) when a die/destroy event arrives: reads the reason and records it. */
    private final Runnable describeDeath;
    private final Object lock = new Object();
    private final Map<String, Integer> execDie = new HashMap<>();
    private int oomCount;
    private Integer dieExitCode;
    private String lastKillSignal;
    private long lastEventSeconds;
    private volatile Closeable stream;
    private volatile boolean closed;

    private ContainerEventWatch(DockerClient docker, DockerCalls calls, String containerId, ContainerDeath death,
                                Runnable describeDeath) {
        this.docker = docker;
        this.calls = calls;
        this.containerId = containerId;
        this.death = death;
        this.describeDeath = describeDeath;
    }

    /** Subscribes right after create, before start, so no event of the container is missed. */
    static ContainerEventWatch follow(DockerClient docker, DockerCalls calls, String containerId, ContainerDeath death,
                                      Runnable describeDeath) {
        ContainerEventWatch w = new ContainerEventWatch(docker, calls, containerId, death, describeDeath);
        w.lastEventSeconds = System.currentTimeMillis() / 1000 - 1;
        w.subscribe();
        return w;
    }

    private void subscribe() {
        long since;
        synchronized (lock) {
            since = lastEventSeconds;
        }
        calls.call("subscribe to container events", () -> docker.eventsCmd()
                .withContainerFilter(containerId)
                .withEventTypeFilter(EventType.CONTAINER)
                .withSince(String.valueOf(since))
                .exec(this));
    }

    /** Read just before an exec starts, to count the OOM kills it causes. */
    int oomCount() {
        synchronized (lock) {
            return oomCount;
        }
    }

    /** The run's death record (the one this watch writes to). */
    ContainerDeath death() {
        return death;
    }

    /** True once the container is known dead (the reason may still be on its way: {@link ContainerDeath#await}). */
    boolean died() {
        return death.isDead();
    }

    Integer dieExitCode() {
        synchronized (lock) {
            return dieExitCode;
        }
    }

    String lastKillSignal() {
        synchronized (lock) {
            return lastKillSignal;
        }
    }

    boolean execDied(String execId) {
        synchronized (lock) {
            return execDie.containsKey(execId);
        }
    }

    void forget(String execId) {
        synchronized (lock) {
            execDie.remove(execId);
        }
    }

    @Override public void onStart(Closeable c) {
        stream = c;
        if (closed) closeQuietly(c);
    }

    @Override public void onNext(Event e) {
        String action = e.getAction() == null ? e.getStatus() : e.getAction();
        if (action == null) return;
        Map<String, String> a = e.getActor() == null || e.getActor().getAttributes() == null
                ? Map.of() : e.getActor().getAttributes();
        boolean newDeath = false;
        synchronized (lock) {
            if (e.getTime() != null) lastEventSeconds = Math.max(lastEventSeconds, e.getTime());
            if (action.equals("oom")) {
                oomCount++;
            } else if (action.equals("kill")) {
                lastKillSignal = a.get("signal");
            } else if (action.equals("die") || action.equals("destroy")) {
                if (!death.isDead()) newDeath = true;
                if (dieExitCode == null) dieExitCode = parseInt(a.get("exitCode"));
            } else if (action.startsWith("exec_die") && a.get("execID") != null) {
                execDie.put(a.get("execID"), parseInt(a.get("exitCode")));
            }
            lock.notifyAll();
        }
        if (newDeath) {
            death.seen();
            if (!closed) describeDeath.run();
        }
    }

    @Override public void onError(Throwable t) {
        streamEnded(t);
    }

    @Override public void onComplete() {
        streamEnded(null);
    }

    /** The events stream ended while the run is open: engine gone (container lost) or just a dropped connection. */
    private void streamEnded(Throwable cause) {
        if (closed) return;
        DockerCalls.runAsync(() -> {
            if (closed) return;
            try {
                calls.call("ping after the events stream ended", () -> docker.pingCmd().exec());
            } catch (RuntimeException e) {
                death.seen();
                death.record("Docker engine is no longer reachable: " + DockerCalls.engineMessage(e));
                return;
            }
            if (closed) return;
            try {
                subscribe();
            } catch (RuntimeException e) {
                death.seen();
                death.record("lost the container's Docker events: " + DockerCalls.engineMessage(e)
                        + (cause == null ? "" : " (" + DockerCalls.rootMessage(cause) + ")"));
            }
        });
    }

    /** Waits until cond holds (checked under the lock) or the time is up. */
    boolean await(BooleanSupplier cond, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        synchronized (lock) {
            while (!cond.getAsBoolean()) {
                long left = end - System.nanoTime();
                if (left <= 0) return false;
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    boolean awaitExecDie(String execId, long millis) throws InterruptedException {
        return await(() -> execDie.containsKey(execId), millis);
    }

    boolean awaitDeath(long millis) throws InterruptedException {
        return death.awaitDead(java.time.Duration.ofMillis(millis));
    }

    @Override public void close() {
        closed = true;
        Closeable s = stream;
        if (s != null) closeQuietly(s);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // the stream is going away anyway
        }
    }

    private static Integer parseInt(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
