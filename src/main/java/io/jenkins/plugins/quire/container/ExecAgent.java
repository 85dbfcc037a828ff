package io.jenkins.plugins.quire.container;

import com.github.dockerjava.api.DockerClient;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Why: a {@code docker exec} costs dockerd and runc tens of milliseconds; the exec agent (docs/exec-agent.md) is put
 * into the run's container once and starts every later command itself. This is the engine's end of it, one per run
 * container: the agent is the container's own command, mounted read-only from its volume ({@link AgentVolume})
 * and reached through the container's attached stdin and stdout, so the container ends by itself when the engine's
 * connection is gone. It reads the frames on the attach's stream thread ({@link DockerStreams}), hands each request's output to that
 * request's listener, and runs requests from any number of threads at once with the semantics of a plain exec
 * (timeout, abort, OOM classification, container death). The agent's death is the container's death.
 */
final class ExecAgent {
    static final String DIR = ".quire-agent";
    static final String NAME = "quire-exec-agent";
    static final String PATH = "/" + DIR + "/" + NAME;
    static final Duration HELLO_DEADLINE = Duration.ofSeconds(10);
    private static final long POLL_MS = 50;
    private static final int STDERR_TAIL = 2048;

    /** Why the agent cannot run in this container; the run uses plain execs and says why. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    /** What a request needs from its container, supplied by {@link RunContainer}. */
    interface Host {
        /** The container is dead or being closed by us. */
        boolean containerGone();

        boolean closedByUs();

        /** Waits up to {@code millis} for the container's death; true when it died. */
        boolean awaitDeath(long millis);

        String awaitDeathReason();

        int oomCount();

        Long memoryBytes();

        /** Kills the tree of the exec holding {@code token} with the plain process killer (its agent is gone). */
        void killTree(String token);
    }

    private final DockerClient docker;
    private final DockerStreams streams;
    private final DockerCalls calls;
    private final String containerId;
    /** Set by {@link #identify} before the first request. */
    private volatile String uidGid;
    private volatile List<String> baseEnv;
    private final Consumer<String> onDeath;
    private final AgentStdin stdin = new AgentStdin();
    private final Map<Integer, Request> requests = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final CountDownLatch hello = new CountDownLatch(1);
    /** Counted down when the attach to the container is in place (or failed). */
    private final CountDownLatch attached = new CountDownLatch(1);
    /** Counted down when the agent's output stream has ended. */
    private final CountDownLatch ended = new CountDownLatch(1);
    private final StringBuilder stderrTail = new StringBuilder();
    private final Object deathLock = new Object();
    private volatile AgentFrames.Hello helloFrame;
    private volatile String deathReason;
    private volatile boolean quitting;
    private volatile Closeable stream;

    private ExecAgent(DockerClient docker, DockerStreams streams, DockerCalls calls, String containerId,
                      Consumer<String> onDeath) {
        this.docker = docker;
        this.streams = streams;
        this.calls = calls;
        this.containerId = containerId;
        this.onDeath = onDeath;
    }

    /**
     * The binary for the image's platform ("linux-amd64"): the given one (tests), else the one this build carries.
     * @throws Unavailable when this build has none for that platform
     */
    static byte[] binaryFor(String platform, byte[] given) throws Unavailable {
        if (given != null) return given;
        byte[] binary = AgentBinary.forPlatform(platform);
        if (binary == null)
            throw new Unavailable("this build has no exec agent for the image's platform " + platform.replace('-', '/'));
        return binary;
    }

    /**
     * Between create and start of a container whose command is {@link #PATH} (the binary mounted from its volume,
     * {@link AgentVolume}): attaches to the container's stdin and stdout. The container is started next, then
     * {@link #awaitHello()} and {@link #identify(String, Host)}.
     * @param onDeath called once, on an internal thread, with the reason when the agent dies (not when we quit it)
     * @throws Unavailable why the agent cannot run here (the caller starts a plain container instead)
     */
    static ExecAgent attach(DockerClient docker, DockerStreams streams, DockerCalls calls, String containerId,
                            Consumer<String> onDeath) throws Unavailable {
        ExecAgent a = new ExecAgent(docker, streams, calls, containerId, onDeath);
        a.attachStreams();
        return a;
    }

    /**
     * Works out, once the container runs (its files are then read without mounting them again), the user and the
     * environment a plain {@code docker exec} of {@code user} would get: the container's variables and hostname, the
     * image's passwd and group files.
     * @throws Unavailable when the user cannot be resolved (the caller starts a plain container instead)
     */
    void identify(String user, Host host) throws Unavailable {
        var inspected = DockerCalls.async(() -> ContainerSettings.read(streams, calls, containerId));
        // the agent reads the two files as root until the real environment is known: a request to the running agent
        // costs a few ms, where each archive read holds the engine's lock on the container while it mounts its volumes
        baseEnv = AgentEnvironment.base(List.of(), null, "/");
        var passwd = DockerCalls.async(() -> readSmallFile("/etc/passwd", host));
        var group = DockerCalls.async(() -> readSmallFile("/etc/group", host));
        ContainerSettings.Settings ic = inspected.join();
        if (ic == null) throw new Unavailable("could not inspect the container");
        AgentEnvironment.Identity who;
        try {
            who = AgentEnvironment.resolve(user, accountsText(passwd), accountsText(group));
        } catch (IllegalArgumentException e) {
            throw new Unavailable("the exec user cannot be resolved for the agent: " + e.getMessage());
        }
        baseEnv = AgentEnvironment.base(ic.env(), ic.hostname(), who.home());
        uidGid = who.uidGid();
    }

    /**
     * Reads a regular file with the shell's builtins only (no cat in the image needed). Exit 3: no such file (a
     * dangling link included); 4: not a regular file (a directory, a FIFO: never opened, so never waited on); 5: over
     * {@value #READ_FILE_LINES} lines (the shell reads a byte per system call: a large file is left to the archive API).
     */
    private static final String READ_FILE = "[ -e \"$1\" ] || exit 3; [ -f \"$1\" ] || exit 4; n=0; "
            + "while IFS= read -r l || [ -n \"$l\" ]; do n=$((n+1)); [ $n -le " + ExecAgent.READ_FILE_LINES + " ] || exit 5; "
            + "printf '%s\\n' \"$l\"; done < \"$1\"";
    static final int READ_FILE_LINES = 20_000;

    /**
     * A small text file of the running container, or null when it has none (a dangling link included): read by the
     * agent as root, following links as {@code docker exec} does; else (no shell in the image, the request failed, not
     * a regular file, a large file) through the archive API ({@link ContainerTextFile}, which throws when it cannot
     * read it: a directory is never taken for a missing file).
     */
    private String readSmallFile(String path, Host host) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        boolean[] over = {false};
        ExecResult r = exec("0:0", ExecRequest.argv("sh", "-c", READ_FILE, "quire-read", path).withTimeout(calls.timeout()),
                new ExecListener() {
                    @Override public void onStdout(byte[] d, int off, int len) {
                        synchronized (out) {
                            if (out.size() + len > ContainerTextFile.MAX_BYTES) over[0] = true;
                            else out.write(d, off, len);
                        }
                    }

                    @Override public void onStderr(byte[] d, int off, int len) { }
                }, UUID.randomUUID().toString(), ExecHandle.OWN, host);
        synchronized (out) {
            if (r != null && r.outcome() == ExecOutcome.SUCCEEDED && !over[0]) return out.toString(StandardCharsets.UTF_8);
        }
        if (r != null && r.outcome() == ExecOutcome.FAILED && r.exitCode() == 3) return null;
        return ContainerTextFile.read(docker, calls, containerId, path);
    }

    /** One of the image's account files as read; a read that failed means the agent cannot know the user as docker exec would. */
    private static String accountsText(java.util.concurrent.CompletableFuture<String> read) throws Unavailable {
        try {
            return read.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new Unavailable("the exec user cannot be resolved for the agent: " + e.getCause().getMessage());
        }
    }

    /** Attaches to the created container's stdin, stdout and stderr; returns once the engine has switched protocols. */
    private void attachStreams() throws Unavailable {
        Reader reader = new Reader();
        try {
            calls.call("attach to the container", () -> { streams.attach(containerId, stdin, reader); return null; });
        } catch (RuntimeException e) {
            throw new Unavailable("could not attach to the container: " + DockerCalls.engineMessage(e));
        }
        // output written before the attach is in place would be lost (the container keeps no log): start only after
        boolean on;
        try {
            on = attached.await(calls.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            on = false;
        }
        if (!on || stream == null) {
            quit();
            throw new Unavailable("could not attach to the container" + (deathReason == null ? "" : ": " + deathReason));
        }
    }

    /**
     * Waits for the agent's hello once the container has started.
     * @throws Unavailable when it exits first or stays silent (the caller starts a plain container instead)
     */
    void awaitHello() throws Unavailable {
        boolean said;
        try {
            said = hello.await(HELLO_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            quit();
            throw new Unavailable("interrupted while waiting for the exec agent to start");
        }
        if (deathReason != null) throw new Unavailable("the exec agent did not start: " + deathReason);
        if (!said || helloFrame == null) {
            quit();
            throw new Unavailable("the exec agent sent no hello within " + DockerCalls.seconds(HELLO_DEADLINE) + stderrNote());
        }
    }

    /** The agent's version and pid (in the container's pid namespace), from its hello. */
    AgentFrames.Hello hello() {
        return helloFrame;
    }

    /** Why the agent died (its stream ended or broke), or null while it has not. */
    String deathReason() {
        return deathReason;
    }

    /** True while the agent takes requests. */
    boolean alive() {
        return deathReason == null && !quitting && baseEnv != null;
    }

    /**
     * Runs one request through the agent; blocks until it has ended.
     * @param handle the exec's abort request (read, and recorded on an interrupt) and whether it ran beside another
     * @return the result, or null when the agent could not take the request (dead, or the request does not fit in
     *         one frame): the caller runs it as a plain exec
     * @throws ContainerException when the listener threw (the command is killed first)
     */
    ExecResult exec(ExecRequest request, ExecListener listener, String token, ExecHandle handle, Host host) {
        return exec(uidGid, request, listener, token, handle, host);
    }

    /** {@link #exec} as {@code asUser} ("uid:gid") rather than the run's exec user: the engine's own root commands. */
    ExecResult exec(String asUser, ExecRequest request, ExecListener listener, String token, ExecHandle handle,
                    Host host) {
        if (!alive()) return null;
        long t0 = System.nanoTime();
        int oomBefore = host.oomCount();
        int id = nextId.incrementAndGet();
        byte[] frame;
        try {
            frame = AgentFrames.run(id, asUser, request.workDir(), request.argv(),
                    AgentEnvironment.merge(baseEnv, request.envList(token)));
        } catch (AgentProtocolException tooLarge) {
            return null;
        }
        Request req = new Request(listener);
        requests.put(id, req);
        if (!alive()) {
            requests.remove(id);
            return null;
        }
        boolean interrupted = false;
        try {
            try {
                stdin.write(frame);
            } catch (InterruptedIOException e) {
                requests.remove(id);
                Thread.currentThread().interrupt();
                return new ExecResult(ExecOutcome.ABORTED, ExecResult.NO_EXIT_CODE, (System.nanoTime() - t0) / 1_000_000,
                        null, "aborted: interrupted", 0, 0, false);
            } catch (IOException e) {
                requests.remove(id);
                return null;
            }
            long deadline = request.timeout() == null ? Long.MAX_VALUE : t0 + request.timeout().toNanos();
            ExecOutcome killOutcome = null;
            String killReason = null;
            long goneSince = 0;
            while (true) {
                try {
                    if (req.done.await(POLL_MS, TimeUnit.MILLISECONDS)) break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    handle.requestAbort("interrupted");
                }
                long now = System.nanoTime();
                if (killOutcome == null) {
                    String a = handle.abortReason();
                    if (a != null) {
                        killOutcome = ExecOutcome.ABORTED;
                        killReason = "aborted: " + a;
                    } else if (req.listenerError != null) {
                        killOutcome = ExecOutcome.ABORTED;
                        killReason = "aborted: the output listener failed";
                    } else if (now - deadline >= 0) {
                        killOutcome = ExecOutcome.TIMED_OUT;
                        killReason = "timeout after " + DockerCalls.seconds(request.timeout());
                    }
                    if (killOutcome != null) send(AgentFrames.kill(id, 9));
                }
                if (host.containerGone()) {
                    if (goneSince == 0) goneSince = now;
                    else if ((now - goneSince) / 1_000_000 > ExecSupervisor.DEATH_STREAM_GRACE_MS) break;
                }
            }
            requests.remove(id);
            ExecResult r = classify(req, t0, token, oomBefore, killOutcome, killReason, handle, host);
            if (req.listenerError != null)
                throw new ContainerException("the output listener of " + request.argv() + " failed: " + req.listenerError,
                        req.listenerError);
            return r;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private ExecResult classify(Request req, long t0, String token, int oomBefore, ExecOutcome killOutcome,
                                String killReason, ExecHandle handle, Host host) {
        AgentFrames.Exit x = req.exit;
        long ms = ((req.endNanos != 0 ? req.endNanos : System.nanoTime()) - t0) / 1_000_000;
        int code = x == null ? ExecResult.NO_EXIT_CODE : x.exitCode();
        long out = req.stdoutBytes;
        long err = req.stderrBytes;
        if (killOutcome == ExecOutcome.ABORTED)
            return new ExecResult(ExecOutcome.ABORTED, code, ms, "SIGKILL", killReason, out, err, false);
        if (host.closedByUs() && killOutcome == null)
            return new ExecResult(ExecOutcome.ABORTED, code, ms, null, "aborted: the container was closed", out, err, false);
        if (x == null) {
            if (host.containerGone() || host.awaitDeath(750))
                return new ExecResult(ExecOutcome.CONTAINER_DIED, code, ms, null, host.awaitDeathReason(), out, err, false);
            host.killTree(token);       // what the command started lost its agent: nothing may outlive the sh
            if (killOutcome != null) return new ExecResult(killOutcome, code, ms, "SIGKILL", killReason, out, err, false);
            return new ExecResult(ExecOutcome.AGENT_DIED, code, ms, null,
                    "the exec agent died: " + (req.agentDeath == null ? "unknown reason" : req.agentDeath), out, err, false);
        }
        boolean signalled = x.signal() != 0 || x.exitCode() >= 128;
        if (killOutcome != null) {
            String sig = x.signal() == 9 || x.exitCode() == 128 + 9 ? "SIGKILL" : null;
            return new ExecResult(killOutcome, code, ms, sig, killReason, out, err, false);
        }
        // the agent reads the container's OOM kill count before and after the request (flags bits 2 and 3): then that
        // is the answer, at once, and a late "oom" event of an earlier command cannot be counted against this one.
        // Without the count, the "oom" event arrives on the events stream independently of the exit frame: wait a
        // little for it when the command died of a signal
        // whether it ran beside another is read after the wait for the oom event: an exec that entered during the
        // wait, and was OOM-killed, has marked this one by now
        boolean oom = (x.oomCounted() ? x.oomKillSeen()
                : signalled ? awaitOom(host, oomBefore) : host.oomCount() > oomBefore)
                && ExecSupervisor.oomIsOwn(handle.overlapped(), x.signal() == 9 || x.exitCode() == 128 + 9);
        if (host.containerGone())
            return new ExecResult(ExecOutcome.CONTAINER_DIED, code, ms, null, host.awaitDeathReason(), out, err, false);
        if (oom) {
            String limit = host.memoryBytes() == null ? "" : " (container memory limit " + ExecSupervisor.mib(host.memoryBytes()) + ")";
            return new ExecResult(ExecOutcome.COMMAND_OOM_KILLED, code, ms, "SIGKILL", "command OOM-killed: out of memory" + limit,
                    out, err, x.leftoversKilled());
        }
        return new ExecResult(code == 0 ? ExecOutcome.SUCCEEDED : ExecOutcome.FAILED, code, ms, null, null, out, err,
                x.leftoversKilled());
    }

    private static boolean awaitOom(Host host, int before) {
        long end = System.nanoTime() + 750_000_000L;
        while (true) {
            if (host.oomCount() > before) return true;
            if (host.containerGone() || System.nanoTime() - end >= 0) return false;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return host.oomCount() > before;
            }
        }
    }

    private void send(byte[] frame) {
        try {
            stdin.write(frame);
        } catch (IOException e) {
            // the agent is gone: its death ends the request
        }
    }

    /** Asks the agent to kill everything and exit, and closes its stream. Idempotent; its end is not a death. */
    void quit() {
        quitting = true;
        send(AgentFrames.quit());
        stdin.close();
        // let docker-java's stdin pump send the quit and finish before the connection goes: closing it under the pump
        // makes that thread die with a stack trace on stderr
        try {
            ended.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        release("the exec agent was stopped");
    }

    private void died(String reason) {
        synchronized (deathLock) {
            if (deathReason != null) return;
            deathReason = reason;
        }
        stdin.close();
        release(reason);
        if (!quitting) onDeath.accept(reason);
    }

    /** The agent is gone (quit or died): its stream closes, a start waiting for hello returns, every request ends. */
    private void release(String reason) {
        Closeable s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (IOException | RuntimeException ignored) {
                // already ended or going away
            }
        }
        hello.countDown();
        for (Request r : requests.values()) r.agentDied(reason);
    }

    private String stderrNote() {
        synchronized (stderrTail) {
            String t = stderrTail.toString().strip();
            return t.isEmpty() ? "" : " (agent's stderr: " + t + ")";
        }
    }

    /** How the agent (the container's command) ended, read once its stream has ended. */
    private String describeEnd(String streamNote) {
        String how = "its output stream ended";
        for (int i = 0; i < 10; i++) {
            try {
                var state = calls.call("inspect the container", () -> docker.inspectContainerCmd(containerId).exec()).getState();
                if (state != null && !Boolean.TRUE.equals(state.getRunning())) {
                    Long c = state.getExitCodeLong();
                    if (c != null) how = "it exited with code " + c + (c > 128 && c < 160 ? " (" + signalName((int) (c - 128)) + ")" : "");
                    break;
                }
            } catch (RuntimeException e) {
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return how + streamNote + stderrNote();
    }

    static String signalName(int n) {
        switch (n) {
            case 9: return "SIGKILL";
            case 15: return "SIGTERM";
            case 6: return "SIGABRT";
            case 11: return "SIGSEGV";
            default: return "signal " + n;
        }
    }

    /** One request in flight. Written by the reader thread, read by the request's thread after {@link #done}. */
    private static final class Request {
        final ExecListener listener;
        final CountDownLatch done = new CountDownLatch(1);
        volatile long pid;
        volatile AgentFrames.Exit exit;
        volatile String agentDeath;
        volatile Throwable listenerError;
        volatile long endNanos;
        volatile long stdoutBytes;
        volatile long stderrBytes;

        Request(ExecListener listener) {
            this.listener = listener == null ? ExecListener.DISCARD : listener;
        }

        void output(boolean err, byte[] data) {
            if (err) stderrBytes += data.length; else stdoutBytes += data.length;
            if (listenerError != null || data.length == 0) return;
            try {
                if (err) listener.onStderr(data, 0, data.length); else listener.onStdout(data, 0, data.length);
            } catch (Throwable t) {
                listenerError = t;
            }
        }

        void finish(AgentFrames.Exit x) {
            exit = x;
            endNanos = System.nanoTime();
            done.countDown();
        }

        void agentDied(String reason) {
            if (agentDeath == null) agentDeath = reason;
            if (endNanos == 0) endNanos = System.nanoTime();
            done.countDown();
        }
    }

    /** The agent's stdout (frames) and stderr (its diagnostics), on the attach's stream thread. */
    private final class Reader implements DockerStreams.Receiver {
        private final AgentFrames.Decoder decoder = AgentFrames.Decoder.fromAgent(this::frame);
        private volatile String protocolError;

        @Override public void onStart(Closeable c) {
            stream = c;
            attached.countDown();
        }

        @Override public void output(boolean stderr, byte[] p, int off, int len) {
            if (len == 0 || protocolError != null) return;
            if (stderr) {
                synchronized (stderrTail) {
                    stderrTail.append(new String(p, off, len, StandardCharsets.UTF_8));
                    if (stderrTail.length() > STDERR_TAIL) stderrTail.delete(0, stderrTail.length() - STDERR_TAIL);
                }
                return;
            }
            try {
                decoder.feed(p, off, len);
            } catch (AgentProtocolException e) {
                protocolError = e.getMessage();
                // the stream is out of step: stop the agent (its requests' trees die with it) and say why
                String reason = "protocol error: " + e.getMessage();
                send(AgentFrames.quit());
                died(reason);
            }
        }

        private void frame(AgentFrames.Frame f) throws AgentProtocolException {
            if (helloFrame == null) {
                if (f.type() != AgentFrames.HELLO || f.id() != 0)
                    throw new AgentProtocolException("the first frame was " + f + ", not a hello");
                helloFrame = AgentFrames.hello(f);
                hello.countDown();
                return;
            }
            if (f.type() == AgentFrames.HELLO) throw new AgentProtocolException("a second hello");
            Request r = requests.get(f.id());
            switch (f.type()) {
                case AgentFrames.STARTED:
                    long pid = AgentFrames.started(f);
                    if (r != null) r.pid = pid;
                    break;
                case AgentFrames.STDOUT:
                case AgentFrames.STDERR:
                    if (r != null) r.output(f.type() == AgentFrames.STDERR, f.payload());
                    break;
                case AgentFrames.EXIT:
                    AgentFrames.Exit x = AgentFrames.exit(f);
                    if (r != null) r.finish(x);
                    break;
                default:
                    throw new AgentProtocolException("unexpected frame " + f);
            }
        }

        @Override public void onError(Throwable t) {
            ended(": " + DockerCalls.rootMessage(t));
        }

        @Override public void onComplete() {
            ended("");
        }

        private void ended(String note) {
            ended.countDown();
            attached.countDown();
            if (quitting || deathReason != null) return;
            String truncated = decoder.midFrame() ? " (" + decoder.truncation() + ")" : "";
            DockerCalls.runAsync(() -> died(describeEnd(note + truncated)));
        }

    }

    @Override public String toString() {
        AgentFrames.Hello h = helloFrame;
        return "ExecAgent{" + (h == null ? "starting" : h.version() + ", pid " + h.pid())
                + (deathReason == null ? "" : ", died: " + deathReason) + "}";
    }
}
