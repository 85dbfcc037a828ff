package io.jenkins.plugins.quire.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Why: the one container of a CI run (docs/architecture.md). Runs commands as execs with live, separate stdout/stderr,
 * kills whole process trees (timeout, abort, and whatever an exec left running when it ends: kill-tree.sh),
 * classifies how each exec ended from the container's Docker events, notices the container's death, and
 * tears the container down on close (and from a JVM shutdown hook if never closed).
 * Thread-safe: {@link #abortRunningExecs}, {@link #deathReason} and {@link #close} may be called from any thread.
 */
public final class RunContainer implements AutoCloseable {
    /** Environment variable carrying each exec's kill token (inherited by its whole process tree). */
    public static final String TOKEN_VARIABLE = "QUIRE_EXEC_TOKEN";

    private static final long POLL_MS = 50;
    private static final Duration TEARDOWN_LIMIT = Duration.ofSeconds(10);

    private final DockerClient docker;
    /** The exec streams, read raw (docs/architecture.md, "Reading the exec streams"). */
    private final DockerStreams streams;
    private final DockerCalls calls;
    private final String id;
    private final String image;
    private final String user;
    private final Long memoryBytes;
    /** The processes a run container starts with: docker-init (Init=true) and the keep-alive sleep. */
    private static final int OWN_PROCESSES = 2;
    private final Set<RunningExec> running = ConcurrentHashMap.newKeySet();
    /** Tokens of the execs that may have processes in the container (registered before the exec is created). */
    private final Set<String> liveTokens = ConcurrentHashMap.newKeySet();
    /** Killers run one at a time (write), and no exec registers while one runs (read): each sees every live token. */
    private final ReentrantReadWriteLock killLock = new ReentrantReadWriteLock();
    /** The one record of the container's death, written by the event watch and by execs that saw it go. */
    private final ContainerDeath death = new ContainerDeath();
    private final Object closeLock = new Object();
    private volatile ContainerEventWatch watch;
    private volatile boolean closed;
    private volatile boolean removed;
    /** Host pids of docker-init and the keep-alive sleep, read once at start; -1 when unknown. */
    private volatile long initPid = -1;
    private volatile long keepAlivePid = -1;
    /** The exec agent while it takes requests; null in the plain mode and after it died (docs/exec-agent.md). */
    private volatile ExecAgent agent;
    private volatile String home;
    private volatile List<CacheMount> cacheMounts = List.of();
    private volatile ExecModeReport execMode = new ExecModeReport(ExecMode.DOCKER, "the exec agent was not started");
    private final List<Consumer<ExecModeReport>> modeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final java.util.concurrent.atomic.AtomicBoolean TEARDOWN_PATH_LOADED =
            new java.util.concurrent.atomic.AtomicBoolean();

    RunContainer(DockerClient docker, DockerStreams streams, DockerCalls calls, String id, String image, String user,
                 Long memoryBytes) {
        this.docker = docker;
        this.streams = streams;
        this.calls = calls;
        this.id = id;
        this.image = image;
        this.user = user;
        this.memoryBytes = memoryBytes;
    }

    void follow(ContainerEventWatch w) {
        this.watch = w;
    }

    /** The death record the event watch of this container writes to. */
    ContainerDeath death() {
        return death;
    }

    /** Full container id. */
    /** Records what the container start's root exec set up: the exec user's HOME and the mounted caches. */
    void prepared(String home, List<CacheMount> caches) {
        this.home = home;
        this.cacheMounts = List.copyOf(caches);
    }

    /** The exec user's HOME every command should get (docs/language.md), or null when the start did not work it out. */
    public String home() {
        return home;
    }

    /** The caches mounted in this container, in declaration order; empty when none. */
    public List<CacheMount> cacheMounts() {
        return cacheMounts;
    }

    public String id() {
        return id;
    }

    /** The image the container was created from, as the run named it. */
    public String image() {
        return image;
    }

    /** The "uid:gid" (or name) every exec runs as. */
    public String user() {
        return user;
    }

    /** Why the container died (killed, OOM, removed, engine gone), once it has; empty while it is alive. */
    public Optional<String> deathReason() {
        return death.reason();
    }

    /**
     * Waits up to {@code limit} for the container's death reason; empty when it is still alive then (or was closed
     * by us first). For callers that saw a sign of death (an exec that returned {@link ExecOutcome#CONTAINER_DIED})
     * and want the reason every other exec reports too.
     */
    public Optional<String> awaitDeath(Duration limit) {
        return death.await(limit);
    }

    /** Called once, on an internal thread, with the death reason when the container dies (at once if it already has). */
    public void onDeath(Consumer<String> listener) {
        death.onDeath(listener);
    }

    /** The exec agent (the container's command) said hello: every exec goes through it from now on. */
    void useAgent(ExecAgent a) {
        agent = a;
        execMode = new ExecModeReport(ExecMode.AGENT, null);
        // died in the moment before: its death callback (agentDied) ran already and reports the fallback
        if (a.deathReason() != null) agent = null;
    }

    /** Runs the engine's own root commands: through the agent while it runs, else as plain execs. */
    RootCommands rootCommands() {
        return new RootCommands(docker, streams, calls, id, (request, listener) -> {
            ExecAgent a = agent;
            return a == null ? null
                    : a.exec("0:0", request, listener, UUID.randomUUID().toString(), ExecHandle.OWN, agentHost);
        });
    }

    /** Every exec is a plain {@code docker exec}, for {@code reason}. */
    void plainMode(String reason) {
        execMode = new ExecModeReport(ExecMode.DOCKER, reason);
    }

    /** The agent died on its own: later execs are plain, and the listeners hear it unless the container went too. */
    void agentDied(String reason) {
        agent = null;
        DockerCalls.runAsync(() -> {
            if (closed || awaitDeath(Duration.ofMillis(750)).isPresent()) return;
            ExecModeReport r = new ExecModeReport(ExecMode.DOCKER, "the exec agent died: " + reason);
            execMode = r;
            for (Consumer<ExecModeReport> l : modeListeners) l.accept(r);
        });
    }

    /** How execs run now: through the exec agent, or as plain {@code docker exec} (and why). */
    public ExecModeReport execMode() {
        return execMode;
    }

    /** Called on an internal thread when the run falls back to plain execs mid-run (the agent died). */
    public void onExecModeChange(Consumer<ExecModeReport> listener) {
        modeListeners.add(listener);
    }

    /** The running agent, or null (tests). */
    ExecAgent agent() {
        return agent;
    }

    /**
     * Kills the process tree of every exec running now; each returns {@link ExecOutcome#ABORTED} with reason
     * "aborted: &lt;reason&gt;" and signal SIGKILL. Returns at once; execs started later are not affected.
     */
    public void abortRunningExecs(String reason) {
        for (RunningExec r : running) r.requestAbort(reason == null ? "aborted" : reason);
    }

    /**
     * Runs one command and blocks until it has ended (its output fully delivered to the listener).
     * Never returns for a still-running process: timeout, abort and leftover background children are killed.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws ContainerException    when the engine refuses the exec for another reason than the container's
     *                               death, or when the listener threw (the exec is killed first)
     */
    public ExecResult exec(ExecRequest request, ExecListener listener) {
        if (closed) throw new IllegalStateException("container " + shortId() + " is closed");
        long t0 = System.nanoTime();
        if (death.isDead()) return died(t0, 0, 0);
        String token = UUID.randomUUID().toString();
        killLock.readLock().lock();
        try {
            liveTokens.add(token);
        } finally {
            killLock.readLock().unlock();
        }
        try {
            return exec(request, listener, t0, token);
        } finally {
            liveTokens.remove(token);
        }
    }

    private ExecResult exec(ExecRequest request, ExecListener listener, long t0, String token) {
        int oomBefore = watch.oomCount();
        // Registered before the exec exists, so an abort that arrives while Docker creates it is not lost. An
        // interrupt of the calling thread is an abort request too: it never cuts one of the exec's Docker calls short
        // (an exec started and then forgotten would run on unsupervised).
        RunningExec r = new RunningExec();
        enter(r);
        ExecAgent a = agent;
        if (a != null) {
            try {
                ExecResult viaAgent = a.exec(request, listener, token, r, agentHost);
                if (viaAgent != null) return viaAgent;
            } finally {
                running.remove(r);
            }
            enter(r);           // the agent could not take it: a plain exec, still abortable
        }
        String execId = null;
        boolean interrupted = false;
        try {
            try {
                execId = calls.callThroughInterrupt("create exec", () -> {
                    var cmd = docker.execCreateCmd(id)
                            .withCmd(request.argv().toArray(new String[0]))
                            .withEnv(request.envList(token))
                            .withWorkingDir(request.workDir())
                            .withAttachStdin(false).withAttachStdout(true).withAttachStderr(true)
                            .withTty(false);
                    if (user != null) cmd.withUser(user);
                    return cmd.exec().getId();
                });
            } catch (NotFoundException | ConflictException e) {
                awaitDeathQuietly(750);
                deathDetected("container is not running: " + DockerCalls.engineMessage(e));
                return died(t0, 0, 0);
            } catch (EngineUnavailableException e) {
                deathDetected("Docker engine is no longer reachable: " + e.getMessage());
                return died(t0, 0, 0);
            } catch (DockerException e) {
                throw new ContainerException("Docker refused to run " + request.argv() + ": " + DockerCalls.engineMessage(e), e);
            }
            if (Thread.interrupted()) {
                interrupted = true;
                r.requestAbort("interrupted");
            }
            if (r.abortReason != null) {       // aborted before it started: nothing ran, nothing to kill
                return new ExecResult(ExecOutcome.ABORTED, ExecResult.NO_EXIT_CODE, (System.nanoTime() - t0) / 1_000_000,
                        null, "aborted: " + r.abortReason, 0, 0, false);
            }
            ExecStream stream = new ExecStream(listener);
            String started = execId;
            try {
                calls.callThroughInterrupt("start exec", () -> { streams.execStart(started, stream); return null; });
            } catch (EngineUnavailableException e) {
                deathDetected("Docker engine is no longer reachable: " + e.getMessage());
                return died(t0, 0, 0);
            } catch (DockerException e) {
                throw new ContainerException("Docker could not start " + request.argv() + ": " + DockerCalls.engineMessage(e), e);
            }
            Supervision sup = new Supervision(execId, token, request, stream, r);
            interrupted |= sup.run();
            Integer exit = exitCode(execId, stream);
            sup.sweep(exit != null);
            ExecResult result = classify(t0, execId, exit, oomBefore, stream, sup, r);
            if (stream.listenerError() != null)
                throw new ContainerException("the output listener of " + request.argv() + " failed: "
                        + stream.listenerError(), stream.listenerError());
            return result;
        } finally {
            running.remove(r);
            if (execId != null) watch.forget(execId);
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** What the exec agent's requests need from this container (also for the agent's own reads at start). */
    ExecAgent.Host agentHost() {
        return agentHost;
    }

    /** What the exec agent's requests need from this container. */
    private final ExecAgent.Host agentHost = new ExecAgent.Host() {
        @Override public boolean containerGone() {
            return closed || death.isDead();
        }

        @Override public boolean closedByUs() {
            return closed;
        }

        @Override public boolean awaitDeath(long millis) {
            awaitDeathQuietly(millis);
            return death.isDead();
        }

        @Override public String awaitDeathReason() {
            return RunContainer.this.awaitDeathReason();
        }

        @Override public int oomCount() {
            return watch.oomCount();
        }

        @Override public Long memoryBytes() {
            return memoryBytes;
        }

        @Override public void killTree(String token) {
            try {
                calls.callThroughInterrupt("kill the process tree of an exec whose agent died",
                        calls.timeout().multipliedBy(2), () -> runKiller(ProcessTreeKiller.Mode.KILL, token));
            } catch (RuntimeException e) {
                // the container is going away
            }
        }
    };

    /** One exec's abort request and whether another ran beside it, set from any thread. */
    private static final class RunningExec implements ExecHandle {
        private volatile String abortReason;
        private volatile boolean overlapped;

        @Override public String abortReason() {
            return abortReason;
        }

        @Override public void requestAbort(String reason) {
            if (abortReason == null) abortReason = reason;
        }

        @Override public boolean overlapped() {
            return overlapped;
        }
    }

    /**
     * Registers a running exec; it and every exec running already have run beside another from now on (the
     * registrations are serialised, so of two execs starting at once the second sees the first).
     */
    private void enter(RunningExec r) {
        synchronized (running) {
            if (!running.isEmpty()) {
                r.overlapped = true;
                for (RunningExec o : running) o.overlapped = true;
            }
            running.add(r);
        }
    }

    /**
     * Watches one exec until its output streams end, doing the Docker calls its {@link ExecSupervisor} asks for:
     * kills the tree on timeout/abort/listener failure, reaps background children once the main process has exited,
     * stops the container when the killer fails, gives up on the stream when the container died.
     */
    private final class Supervision {
        final String execId;
        final String token;
        final ExecRequest request;
        final ExecStream stream;
        final RunningExec running;
        final ExecSupervisor decide;

        Supervision(String execId, String token, ExecRequest request, ExecStream stream, RunningExec running) {
            this.execId = execId;
            this.token = token;
            this.request = request;
            this.stream = stream;
            this.running = running;
            this.decide = new ExecSupervisor(request.timeout(), System.nanoTime());
        }

        /** @return whether the calling thread was interrupted (the flag is re-set by the caller at the end) */
        boolean run() {
            boolean interrupted = false;
            watching:
            while (true) {
                try {
                    if (stream.await(POLL_MS)) break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    running.requestAbort("interrupted");
                }
                while (true) {
                    long now = System.nanoTime();
                    ExecSupervisor.Step step = decide.next(now, observe());
                    switch (step.action()) {
                        case WAIT:
                            continue watching;
                        case INSPECT_EXEC:
                            decide.inspected(mainRunning(), now);
                            break;
                        case KILL_TREE:
                            decide.killerRan(killTree(ProcessTreeKiller.Mode.KILL), System.nanoTime(), observe());
                            break;
                        case SWEEP_END:
                            decide.killerRan(killTree(ProcessTreeKiller.Mode.END), System.nanoTime(), observe());
                            break;
                        case ESCALATE:
                            escalate(step.why());
                            break watching;
                        case STOP_WATCHING:
                        default:
                            break watching;
                    }
                }
            }
            if (!stream.ended()) stream.close();
            return interrupted;
        }

        private ExecSupervisor.Observation observe() {
            return new ExecSupervisor.Observation(running.abortReason, stream.listenerError() != null,
                    watch.execDied(execId), closed || death.isDead(), stream.ended());
        }

        /** Whether the exec's main process still runs, as inspectExec says (true when it cannot be asked). */
        private boolean mainRunning() {
            try {
                InspectExecResponse ie = calls.callThroughInterrupt("inspect exec", () -> docker.inspectExecCmd(execId).exec());
                return Boolean.TRUE.equals(ie.isRunning());
            } catch (RuntimeException e) {
                return true;
            }
        }

        /**
         * The exec is over: kills whatever it left running that did not hold its output (a background child
         * writing elsewhere, a setsid'd or double-forked daemon), so nothing it started outlives its sh-exit.
         */
        void sweep(boolean mainExited) {
            ExecSupervisor.Step step = decide.atEnd(mainExited, closed || death.isDead());
            if (step.action() == ExecSupervisor.Action.SWEEP_END) decide.swept(killTree(ProcessTreeKiller.Mode.END));
            else if (step.action() == ExecSupervisor.Action.KILL_TREE) decide.swept(killTree(ProcessTreeKiller.Mode.KILL));
        }

        /** Runs the process killer on a thread of its own, which an interrupt of the caller cannot cut short. */
        private int killTree(ProcessTreeKiller.Mode mode) {
            try {
                return calls.callThroughInterrupt("kill the process tree of " + request.argv(),
                        calls.timeout().multipliedBy(2), () -> runKiller(mode, token));
            } catch (RuntimeException e) {
                return -1;
            }
        }

        /** Last resort: stop the whole container so nothing of the command keeps running. */
        private void escalate(String why) {
            String what = decide.killReason() == null ? "leftover background processes" : decide.killReason();
            deathDetected("the container was stopped because " + why + " (" + what + " of " + request.argv() + ")");
            stream.close();
            calls.quietly("kill container", () -> docker.killContainerCmd(id).exec());
        }
    }

    private Integer exitCode(String execId, ExecStream stream) {
        boolean interrupted = false;
        try {
            for (int i = 0; i < 50; i++) {
                InspectExecResponse ie;
                try {
                    ie = calls.callThroughInterrupt("inspect exec", () -> docker.inspectExecCmd(execId).exec());
                } catch (NotFoundException e) {
                    return null;
                } catch (EngineUnavailableException e) {
                    deathDetected("Docker engine is no longer reachable: " + e.getMessage());
                    return null;
                } catch (RuntimeException e) {
                    return null;
                }
                if (!Boolean.TRUE.equals(ie.isRunning())) return ie.getExitCodeLong() == null ? null : ie.getExitCodeLong().intValue();
                if (stream.closedByCaller()) return null;
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    interrupted = true;        // an abort request: the exit code is still wanted
                }
            }
            return null;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private ExecResult classify(long t0, String execId, Integer exit, int oomBefore, ExecStream stream, Supervision sup,
                                ExecHandle handle) {
        long endNanos = stream.endNanos() == 0 ? System.nanoTime() : stream.endNanos();
        boolean wasInterrupted = Thread.interrupted();
        try {
            // exec_die is a barrier: every "oom" this exec caused has arrived before it.
            // A command that could not start at all (runc's exit 126/127) never gets an exec_die: wait briefly.
            boolean mayNotHaveStarted = exit != null && (exit == 126 || exit == 127);
            if (death.reason().isEmpty()) watch.awaitExecDie(execId, death.isDead() || mayNotHaveStarted ? 300 : 2000);
            // "die" follows exec_die by 26-76 ms when the container itself went down.
            if (exit == null || exit >= 128) watch.awaitDeath(750);
        } catch (InterruptedException e) {
            wasInterrupted = true;
        } finally {
            if (wasInterrupted) Thread.currentThread().interrupt();
        }
        // read after the waits: an exec that entered during them, and was OOM-killed, has marked this one by now
        int oomKills = watch.oomCount() - oomBefore;
        if (!ExecSupervisor.oomIsOwn(handle.overlapped(), exit == null || exit == 128 + 9)) oomKills = 0;
        return sup.decide.classify(new ExecSupervisor.Ending(exit, (endNanos - t0) / 1_000_000, closed, death.isDead(),
                this::awaitDeathReason, oomKills,
                memoryBytes, stream.error(),
                stream.stdoutBytes(), stream.stderrBytes()));
    }

    /**
     * Runs the process killer for the exec holding {@code token}, leaving the other running execs alone. As root
     * (it may have to kill processes that changed user), except when it must tell this exec's processes from
     * another's by their token while this one may still run: root cannot read another user's environment, the
     * exec user can.
     */
    private int runKiller(ProcessTreeKiller.Mode mode, String token) {
        // the common end of an sh: nothing it could have left is there, and one API call that lists the processes
        // costs less than the killer's exec (the per-sh price of the end sweep; docs/architecture.md). Checked
        // outside the kill lock, on a listing shared with the other execs that ended meanwhile (FreshSnapshot):
        // a listing made after this exec ended sees whatever it left, whoever asked for it.
        if (mode == ProcessTreeKiller.Mode.END && initPid >= 0 && keepAlivePid >= 0
                && nothingLeftBehind(System.nanoTime())) return 0;
        killLock.writeLock().lock();
        try {
            List<String> others = liveTokens.stream().filter(t -> !t.equals(token)).toList();
            if (mode == ProcessTreeKiller.Mode.END && (initPid < 0 || keepAlivePid < 0) && others.isEmpty()
                    && onlyOwnProcessesLeft()) return 0;
            String as = mode == ProcessTreeKiller.Mode.KILL && !others.isEmpty() ? user : "0:0";
            return ProcessTreeKiller.kill(docker, streams, calls, id, mode, token, others, as);
        } finally {
            killLock.writeLock().unlock();
        }
    }

    /**
     * Reads the host pids of the container's own two processes (docker-init and the keep-alive sleep), right after
     * start, before any exec: the end-of-sh check then recognises the trees of running execs ({@link ExecTrees}).
     * Left unknown (the narrower check is used) when the list is not exactly those two.
     */
    void recordOwnProcesses() {
        Map<Long, Long> ps = processTree();
        if (ps == null) return;
        long[] own = ExecTrees.ownProcesses(ps);
        if (own == null) return;
        initPid = own[0];
        keepAlivePid = own[1];
    }

    /** The container's process listings, shared between execs that end at the same time. */
    private final FreshSnapshot<Map<Long, Long>> listings = new FreshSnapshot<>(this::processTree);

    /** Host pid to host parent pid of every process in the container, from the engine; null when not available. */
    private Map<Long, Long> processTree() {
        try {
            var top = calls.call("list the container's processes",
                    () -> docker.topContainerCmd(id).withPsArgs("-eo pid,ppid").exec());
            return ExecTrees.parse(top.getTitles(), top.getProcesses());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * True when an exec whose main process has exited cannot have left anything: every process is the container's
     * own or in the tree of a running exec. Without the own processes' pids, only an idle container (and no other
     * running exec) counts.
     */
    private boolean nothingLeftBehind(long endedAt) {
        Map<Long, Long> ps = listings.after(endedAt);
        return ps != null && ExecTrees.onlyOwnAndExecTrees(ps, initPid, keepAlivePid);
    }

    /**
     * True when the container runs only what it was started with (docker-init and the keep-alive sleep), as the
     * engine's process list ({@code docker top}) shows; false when anything else is there or the list cannot be had.
     */
    private boolean onlyOwnProcessesLeft() {
        try {
            String[][] ps = calls.call("list the container's processes", () -> docker.topContainerCmd(id).exec())
                    .getProcesses();
            return ps != null && ps.length <= OWN_PROCESSES;
        } catch (RuntimeException e) {
            return false; // the killer decides
        }
    }

    private ExecResult died(long t0, long out, long err) {
        return new ExecResult(ExecOutcome.CONTAINER_DIED, ExecResult.NO_EXIT_CODE, (System.nanoTime() - t0) / 1_000_000,
                null, awaitDeathReason(), out, err, false);
    }

    /**
     * Death noticed: reason null means "a die/destroy event arrived" and the reason is read from inspect
     * (asynchronously: this may run on the events thread). The first reason recorded wins ({@link ContainerDeath}).
     */
    void deathDetected(String reason) {
        if (closed || death.reason().isPresent()) return;
        if (reason != null) {
            death.record(reason);
        } else {
            DockerCalls.runAsync(() -> death.record(describeDeath()));
        }
    }

    private String describeDeath() {
        InspectContainerResponse.ContainerState st;
        try {
            st = calls.call("inspect container", () -> docker.inspectContainerCmd(id).exec()).getState();
        } catch (NotFoundException e) {
            return "container was removed";
        } catch (EngineUnavailableException e) {
            return "Docker engine is no longer reachable: " + e.getMessage();
        } catch (RuntimeException e) {
            return "container died (could not inspect it: " + DockerCalls.engineMessage(e) + ")";
        }
        Integer code = st.getExitCodeLong() != null ? Integer.valueOf(st.getExitCodeLong().intValue()) : watch.dieExitCode();
        String exitPart = code == null ? "" : ", exit code " + code;
        if (Boolean.TRUE.equals(st.getOOMKilled()))
            return "container was OOM-killed (out of memory" + (memoryBytes == null ? "" : ", limit " + ExecSupervisor.mib(memoryBytes)) + exitPart + ")";
        String sig = watch.lastKillSignal();
        if ("9".equals(sig) || "SIGKILL".equals(sig)) return "container was killed (SIGKILL" + exitPart + ")";
        if ("15".equals(sig) || "SIGTERM".equals(sig)) return "container was stopped (SIGTERM" + exitPart + ")";
        if (sig != null) return "container was killed (signal " + sig + exitPart + ")";
        String err = st.getError() == null || st.getError().isEmpty() ? "" : ": " + st.getError();
        // in agent mode the container's command is the exec agent: its end is what ended the container
        String agentEnd = execMode.mode() != ExecMode.AGENT ? ""
                : " (its command, the exec agent, " + (code != null && code > 128 && code < 160
                        ? "was killed by " + ExecAgent.signalName(code - 128) : "ended") + ")";
        return "container exited" + (code == null ? "" : " with code " + code) + agentEnd + err;
    }

    private String awaitDeathReason() {
        return death.await(Duration.ofSeconds(3)).orElse("container died");
    }

    private void awaitDeathQuietly(long millis) {
        try {
            watch.awaitDeath(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills and force-removes the container (with its anonymous volumes). Idempotent; never throws. Running
     * execs end (their container is gone) and report {@link ExecOutcome#CONTAINER_DIED} or their kill outcome.
     */
    @Override public void close() {
        synchronized (closeLock) {
            if (removed) return;
            death.tearingDown();        // first: a death our own kill causes is not recorded
            closed = true;
        }
        // Teardown must not be cut short by the caller's interrupt (the abort button, Hudson shutting down): clear
        // the flag for the Docker calls below and restore it afterwards.
        boolean interrupted = Thread.interrupted();
        try {
            ExecAgent a = agent;
            if (a != null) a.quit();
            ContainerEventWatch w = watch;
            if (w != null) w.close();
            // stays registered when this fails: the shutdown hook calls close() again, and the next sweep too
            removed = killAndRemove(docker, calls, id);
        } finally {
            if (removed) OpenContainers.remove(this);
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills and force-removes container {@code id}; true when it is gone afterwards (removed, or not found). Short
     * deadlines: this also runs in the JVM shutdown hook, which must not hang on a stuck engine.
     */
    static boolean killAndRemove(DockerClient docker, DockerCalls calls, String id) {
        Duration limit = calls.timeout().compareTo(TEARDOWN_LIMIT) < 0 ? calls.timeout() : TEARDOWN_LIMIT;
        String shortId = id.length() > 12 ? id.substring(0, 12) : id;
        try {
            calls.call("kill container " + shortId, limit, () -> { docker.killContainerCmd(id).exec(); return null; });
        } catch (RuntimeException alreadyStoppedOrGone) {
            // force-remove below still runs
        }
        try {
            calls.call("remove container " + shortId, limit,
                    () -> { docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec(); return null; });
            return true;
        } catch (NotFoundException gone) {
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs the teardown path once per JVM against a container id that does not exist, so every class it needs is
     * loaded while the plugin's class loader is still open: when Hudson stops, it closes that loader before the
     * shutdown hook tears the containers down, and a class loaded only then is not found.
     */
    static void loadTeardownPath(DockerClient docker, DockerCalls calls) {
        if (!TEARDOWN_PATH_LOADED.compareAndSet(false, true)) return;
        killAndRemove(docker, calls, "quire-no-such-container");
        // the HTTP client's retry path (a connection reset during shutdown) logs through SLF4J's formatter, and
        // an exec's stream (the process killer's) is read with these
        org.slf4j.helpers.MessageFormatter.format("{}", "loaded");
        MuxReader.class.getName();
        MuxReader.MuxStreamException.class.getName();
        DockerStreams.Receiver.class.getName();
    }

    /** True once the container is known to be gone (removed by {@link #close()}, or no longer found). */
    public boolean isRemoved() {
        return removed;
    }

    public boolean isClosed() {
        return closed;
    }

    String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    @Override public String toString() {
        return "RunContainer{" + shortId() + ", " + image + ", user " + user + death.reason().map(r -> ", died: " + r).orElse("") + "}";
    }
}
