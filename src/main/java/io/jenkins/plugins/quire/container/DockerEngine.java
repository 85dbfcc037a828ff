package io.jenkins.plugins.quire.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.Volume;
import io.jenkins.plugins.quire.pipeline.CachePaths;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Why: the only entry point to Docker for the rest of Quire CI (the one class tree that imports docker-java).
 * Connects to the engine (API version negotiated, our own deadline on every call), starts one
 * {@link RunContainer} per run (docs/architecture.md), and sweeps up containers left behind by crashed runs.
 */
public final class DockerEngine implements AutoCloseable {
    public static final String LABEL_RUN = "io.quire.run";
    public static final String LABEL_OWNER = "io.quire.owner";
    /** pid and host of the JVM that created the container: a sweep leaves containers of live processes alone. */
    public static final String LABEL_PID = "io.quire.pid";
    public static final String LABEL_HOST = "io.quire.host";
    /**
     * The creating JVM's process space (boot id and pid namespace): a pid means the same process only within it, and
     * two nodes that are containers on one machine may share its host name (docs/architecture.md, Sweep).
     */
    public static final String LABEL_PID_SPACE = "io.quire.pidns";
    /** Which controller (Jenkins instance, or "cli") the run belongs to: a sweep only looks at its own. */
    public static final String LABEL_CONTROLLER = "io.quire.controller";
    /**
     * How long a stopped container made on another machine is left to its own run (which reads why it died and
     * removes it) before a sweep of the same controller may remove it.
     */
    static final Duration FOREIGN_GRACE = Duration.ofMinutes(1);

    private static final List<String> KEEP_ALIVE = List.of("sleep", "2147483647");

    private final EngineConfig config;
    private final DockerCalls calls;
    private final DockerClient docker;
    /** Every exec's and attach's output stream, and the few raw answers, on the client's own transport. */
    private final DockerStreams streams;
    private final String apiVersion;
    private final String engineVersion;

    private DockerEngine(EngineConfig config, DockerCalls calls, DockerClientFactory.Connected c) {
        this.config = config;
        this.calls = calls;
        this.docker = c.client;
        this.apiVersion = c.apiVersion;
        this.streams = new DockerStreams(c.http, c.apiVersion);
        this.engineVersion = c.engineVersion;
    }

    /**
     * Connects and negotiates the API version (one /version call).
     * @throws EngineUnavailableException when no engine answers at the configured host in time
     */
    public static DockerEngine connect(EngineConfig config) {
        DockerCalls calls = new DockerCalls(config.host(), config.callTimeout());
        return new DockerEngine(config, calls, DockerClientFactory.connect(config, calls));
    }

    /** The API version every call uses (e.g. "1.41"). */
    public String apiVersion() {
        return apiVersion;
    }

    /** The engine's own version (e.g. "20.10.24+dfsg1"). */
    public String engineVersion() {
        return engineVersion;
    }

    public EngineConfig config() {
        return config;
    }

    /**
     * The cache volumes of one owner key (every owner's when null), sorted by path, each with its size when the
     * engine's {@code system df} (one call per listing) measured it (README, Caches).
     */
    public List<CacheVolume> cacheVolumes(String owner) {
        return CacheVolumes.list(docker, calls, owner, () -> VolumeSizes.ask(streams, calls));
    }

    /**
     * Removes one cache volume.
     * @return false when it was already gone
     * @throws ContainerException when a running build still uses it
     */
    public boolean removeCacheVolume(String volume) {
        return CacheVolumes.remove(docker, calls, volume);
    }

    /** Whether the image exists locally (no pull). */
    public boolean imageExists(String image) {
        try {
            calls.call("inspect image " + image, () -> docker.inspectImageCmd(image).exec());
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Creates and starts the run's container: image (pulled if missing and pulling is enabled), Init=true,
     * workspace bind-mounted read-write at /work, working dir /work, kept alive by a long sleep, labelled with
     * run id and owner, optional memory limit (memory = memory+swap) and network mode. Execs run as
     * {@link RunSpec#user()} or, by default, the uid:gid owning the workspace. The jobs' scratch directories
     * ({@link RunSpec#jobScratch()}) exist when this returns, and the container's /work was checked to be the
     * workspace ({@link WorkspaceMarker}; skipped when this process cannot write the workspace).
     *
     * @throws WorkspaceNotVisibleException the engine mounts another directory than the workspace at /work
     * @throws ImageUnavailableException  the image is missing and could not be pulled
     * @throws EngineUnavailableException the engine does not answer
     * @throws ContainerException         the engine refused to create or start the container
     */
    public RunContainer startRun(RunSpec spec) {
        String user = spec.user() != null ? spec.user() : WorkspaceOwner.of(spec.workspace());
        boolean agent = spec.execMode() == ExecMode.AGENT;
        // the agent's own first calls, read-only, side by side with the start's others: the image's platform, and
        // whether the volume of this host platform's agent (the likeliest) is there; a failure here only means the
        // call is made again below, where its errors count
        var platform = agent ? DockerCalls.async(() -> platformOrNull(spec.image())) : null;
        String likelyVolume = agent && spec.agentBinary() == null ? likelyAgentVolume() : null;
        var volumeThere = likelyVolume != null ? DockerCalls.async(() -> AgentVolume.exists(docker, calls, likelyVolume)) : null;
        RunContainer.loadTeardownPath(docker, calls);
        CachePlan caches = planCaches(spec, user);
        if (!agent) return launch(spec, user, caches, null, "plain docker exec was asked for");
        String agentVolume;
        try {
            String p = platform.join();
            byte[] binary = ExecAgent.binaryFor(p != null ? p : imagePlatform(spec.image()), spec.agentBinary());
            String name = AgentVolume.nameOf(binary);
            agentVolume = name.equals(likelyVolume) && volumeThere.join() ? name
                    : AgentVolume.ensure(docker, calls, spec.image(), binary, labels(spec));
        } catch (ExecAgent.Unavailable e) {
            return launch(spec, user, caches, null, e.getMessage());
        }
        return launch(spec, user, caches, agentVolume, null);
    }

    /**
     * Creates and starts one container: with the exec agent as its command when {@code agentVolume} (the volume holding
     * its binary) is given (and, when the agent cannot run, again with the keep-alive sleep: {@code plainReason} then
     * says why), else with the keep-alive sleep.
     * @param caches the run's cache volumes, planned once (null: none)
     */
    private RunContainer launch(RunSpec spec, String user, CachePlan caches, String agentVolume, String plainReason) {
        // from here until the container is registered, a sweep in this JVM leaves containers of this run alone
        OpenContainers.starting(spec.runId());
        RunContainer rc;
        try {
            rc = new RunContainer(docker, streams, calls, createOrPull(spec, agentVolume, caches == null ? List.of() : caches.mounts()),
                    spec.image(), user, spec.memoryBytes());
            OpenContainers.add(rc);
        } finally {
            OpenContainers.started(spec.runId());
        }
        ExecAgent agent = null;
        try {
            rc.follow(ContainerEventWatch.follow(docker, calls, rc.id(), rc.death(), () -> rc.deathDetected(null)));
            if (agentVolume != null) {
                try {
                    agent = ExecAgent.attach(docker, streams, calls, rc.id(), rc::agentDied);
                } catch (ExecAgent.Unavailable e) {
                    rc.close();
                    return launch(spec, user, caches, null, e.getMessage());
                }
            }
            String cid = rc.id();
            calls.call("start container", () -> { docker.startContainerCmd(cid).exec(); return null; });
        } catch (RuntimeException e) {
            if (agent != null) agent.quit();
            rc.close();
            if (e instanceof EngineUnavailableException) throw e;
            if (agentVolume != null) {
                // e.g. its volume emptied under it: the volume is filled again next time, this run goes on plain (a
                // start that fails for another reason fails again below, and says so)
                AgentVolume.discard(docker, calls, agentVolume);
                return launch(spec, user, caches, null, "the container with the exec agent did not start: "
                        + DockerCalls.engineMessage(e));
            }
            throw new ContainerException("could not start the container for image '" + spec.image() + "': "
                    + DockerCalls.engineMessage(e), e);
        }
        if (agent != null) {
            ExecAgent started = agent;
            try {
                started.awaitHello();
            } catch (ExecAgent.Unavailable e) {
                rc.close();
                AgentVolume.discard(docker, calls, agentVolume);     // a volume filled by halves is filled again
                return launch(spec, user, caches, null, e.getMessage());
            }
            // the user and environment are read from the running container, beside the process listing
            var identified = DockerCalls.async(() -> {
                try {
                    started.identify(user, rc.agentHost());
                    return null;
                } catch (ExecAgent.Unavailable e) {
                    return e;
                }
            });
            rc.recordOwnProcesses();
            ExecAgent.Unavailable notIdentified = identified.join();
            if (notIdentified != null) {
                started.quit();
                rc.close();
                return launch(spec, user, caches, null, notIdentified.getMessage());
            }
            // identify's own requests may have killed it (a protocol error) while its reads fell back to the archive
            // API: a container whose agent died before the run began is not used, the run starts again plain
            String diedEarly = started.deathReason();
            if (diedEarly != null) {
                started.quit();
                rc.close();
                return launch(spec, user, caches, null, "the exec agent died: " + diedEarly);
            }
            rc.useAgent(started);
        } else {
            rc.plainMode(plainReason);
            rc.recordOwnProcesses();
        }
        // one root command (JobScratch): the engine must mount this very directory at /work, HOME, the caches' owner,
        // the jobs' scratch directories
        try (WorkspaceMarker m = WorkspaceMarker.write(spec.workspace(), config.host())) {
            String home = JobScratch.prepare(rc.rootCommands(), user, caches == null ? null : caches.home(),
                    caches == null ? List.of() : caches.chown(), caches == null ? List.of() : caches.chownRoot(),
                    spec.jobScratch(), m);
            rc.prepared(home, caches == null ? List.of() : caches.done());
        } catch (RuntimeException e) {
            rc.close();
            if (e instanceof EngineUnavailableException || e instanceof ContainerException) throw e;
            throw new ContainerException("could not make the jobs' scratch directories under " + JobScratch.ROOT
                    + " in the container of image '" + spec.image() + "': " + DockerCalls.engineMessage(e), e);
        }
        return rc;
    }

    /**
     * The image's platform ("linux-amd64"), pulling the image first when it is missing (as creating would).
     * @throws ImageUnavailableException the image is missing and could not be pulled
     */
    private String imagePlatform(String image) {
        com.github.dockerjava.api.command.InspectImageResponse img;
        try {
            try {
                img = calls.call("inspect image " + image, () -> docker.inspectImageCmd(image).exec());
            } catch (NotFoundException missing) {
                pull(image, missing);
                try {
                    img = calls.call("inspect image " + image, () -> docker.inspectImageCmd(image).exec());
                } catch (NotFoundException still) {
                    throw new ImageUnavailableException(image, "the pull finished but the image is still missing", still);
                }
            }
        } catch (ImageUnavailableException | EngineUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ContainerException("could not inspect image '" + image + "': " + DockerCalls.engineMessage(e), e);
        }
        return platformOf(img);
    }

    /** The image's platform when the image is there, else null (never pulls; every failure is null). */
    private String platformOrNull(String image) {
        try {
            return platformOf(calls.call("inspect image " + image, () -> docker.inspectImageCmd(image).exec()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Reads and names this host platform's agent binary now, once per JVM: a command-line run does it on its connect
     * thread while the pipeline compiles, off the start's path (docs/benchmarks.md).
     */
    public static void prepareAgentVolumeName() {
        likelyAgentVolume();
    }

    /** The volume name of this build's agent for this host's platform, or null when this build has none. */
    private static String likelyAgentVolume() {
        String arch = System.getProperty("os.arch", "");
        byte[] b = AgentBinary.forPlatform("linux-" + (arch.equals("aarch64") ? "arm64" : arch.equals("x86_64") ? "amd64" : arch));
        return b == null ? null : AgentVolume.nameOf(b);
    }

    private static String platformOf(com.github.dockerjava.api.command.InspectImageResponse img) {
        return (img.getOs() == null ? "linux" : img.getOs()) + "-" + img.getArch();
    }

    /** The caches of a run: HOME (when a cache lies in it, else null) and each cache's volume and mount point. */
    private record CachePlan(String home, List<CacheMount> done) {
        List<com.github.dockerjava.api.model.Mount> mounts() {
            return done.stream().map(c -> CacheVolumes.mount(c.volume(), c.mountPoint())).toList();
        }

        /**
         * Every cache's mount point, at every start: a volume whose first run ended before its chown (a failed pull,
         * an abort) or whose exec user changed would otherwise stay the other owner's for good.
         */
        List<String> chown() {
            return done.stream().map(CacheMount::mountPoint).toList();
        }

        List<String> chownRoot() {
            java.util.LinkedHashSet<String> dirs = new java.util.LinkedHashSet<>();
            if (home != null) for (CacheMount c : done) dirs.addAll(CacheHome.dirsAbove(c.path(), home));
            return List.copyOf(dirs);
        }
    }

    /**
     * Makes sure every cache's volume exists and works out where it is mounted; null when the run has no caches. A
     * {@code ~/...} cache needs HOME before the container exists: the image's passwd is read from a container
     * created (never started) for that and removed at once.
     */
    private CachePlan planCaches(RunSpec spec, String user) {
        if (spec.caches().isEmpty()) return null;
        // the probe container read for HOME is this run's: a sweep in this JVM leaves it alone meanwhile
        OpenContainers.starting(spec.runId());
        try {
            return planCachesNow(spec, user);
        } catch (ContainerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ContainerException("could not prepare the cache volumes: " + DockerCalls.engineMessage(e), e);
        } finally {
            OpenContainers.started(spec.runId());
        }
    }

    private CachePlan planCachesNow(RunSpec spec, String user) {
        String home = null;
        if (spec.caches().stream().anyMatch(p -> p.startsWith(CacheHome.PREFIX))) home = probeHome(spec, user);
        // where each cache lands, checked before any volume is made: a ~/ cache resolved against HOME must obey the
        // same rules as an absolute one, and two caches cannot share a mount point
        Map<String, String> at = new LinkedHashMap<>();
        for (String path : spec.caches()) {
            String mountPoint = CacheHome.mountPoint(path, home);
            try {
                CachePaths.normalise(mountPoint);
            } catch (IllegalArgumentException e) {
                throw new ContainerException("cache '" + path + "' would be mounted at " + mountPoint + " (HOME is " + home
                        + " for the exec user): " + e.getMessage());
            }
            for (Map.Entry<String, String> e : at.entrySet()) {
                if (e.getValue().equals(mountPoint))
                    throw new ContainerException("caches '" + e.getKey() + "' and '" + path + "' would both be mounted at "
                            + mountPoint + " (HOME is " + home + " for the exec user): declare it once");
            }
            at.put(path, mountPoint);
        }
        List<CacheMount> mounts = new ArrayList<>();
        for (Map.Entry<String, String> e : at.entrySet()) {
            boolean created = CacheVolumes.ensure(docker, calls, spec.cacheOwner(), e.getKey());
            mounts.add(new CacheMount(e.getKey(), e.getValue(), CacheVolumes.nameOf(spec.cacheOwner(), e.getKey()), created));
        }
        return new CachePlan(home, mounts);
    }

    /** The exec user's HOME in the image: its passwd read from a created (not started) container, then removed. */
    private String probeHome(RunSpec spec, String user) {
        String probe = createOrPull(spec, null, List.of());
        try {
            String passwd = ContainerTextFile.read(docker, calls, probe, "/etc/passwd");
            String group = ContainerTextFile.read(docker, calls, probe, "/etc/group");
            try {
                return CacheHome.of(AgentEnvironment.resolve(user, passwd, group).home());
            } catch (IllegalArgumentException e) {
                throw new ContainerException("cannot work out the home directory for the caches in ~/: " + e.getMessage());
            }
        } finally {
            try {
                calls.call("remove the container read for HOME", () -> {
                    docker.removeContainerCmd(probe).withForce(true).exec();
                    return null;
                });
            } catch (RuntimeException e) {
                // labelled like a run container: the next sweep removes it
            }
        }
    }

    private String createOrPull(RunSpec spec, String agentVolume, List<com.github.dockerjava.api.model.Mount> mounts) {
        try {
            return create(spec, agentVolume, mounts);
        } catch (NotFoundException missing) {
            pull(spec.image(), missing);
            try {
                return create(spec, agentVolume, mounts);
            } catch (NotFoundException still) {
                throw new ImageUnavailableException(spec.image(), "the pull finished but the image is still missing", still);
            }
        } catch (EngineUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ContainerException("could not create a container from image '" + spec.image() + "': "
                    + DockerCalls.engineMessage(e), e);
        }
    }

    /**
     * Processes a run container may hold at once: Docker sets no limit, and a fork loop would use up the host's
     * process ids. Generous for builds (a parallel make, a test suite's servers); kill-tree.sh handles this many.
     */
    static final long PIDS_LIMIT = 4096;

    /** The labels of a run's containers: run, owner, controller and the creating process. */
    private static Map<String, String> labels(RunSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_RUN, spec.runId());
        labels.put(LABEL_OWNER, spec.owner());
        labels.put(LABEL_PID, String.valueOf(ProcessHandle.current().pid()));
        labels.put(LABEL_HOST, hostName());
        labels.put(LABEL_PID_SPACE, pidSpace());
        labels.put(LABEL_CONTROLLER, spec.controller());
        return labels;
    }

    private String create(RunSpec spec, String agentVolume, List<com.github.dockerjava.api.model.Mount> mounts) {
        HostConfig hc = HostConfig.newHostConfig()
                .withBinds(new Bind(spec.bindSource().toString(), new Volume(WorkDirs.ROOT), AccessMode.rw))
                .withInit(true)
                .withPidsLimit(PIDS_LIMIT);
        if (spec.memoryBytes() != null) hc.withMemory(spec.memoryBytes()).withMemorySwap(spec.memoryBytes());
        if (spec.networkMode() != null) hc.withNetworkMode(spec.networkMode());
        List<com.github.dockerjava.api.model.Mount> all = new ArrayList<>(mounts);
        if (agentVolume != null) all.add(AgentVolume.mount(agentVolume));
        if (!all.isEmpty()) hc.withMounts(all);
        Map<String, String> labels = labels(spec);
        return calls.call("create container from " + spec.image(), () -> {
            CreateContainerCmd cmd = docker.createContainerCmd(spec.image())
                    .withLabels(labels)
                    .withWorkingDir(WorkDirs.ROOT)
                    .withHostConfig(hc);          // no AutoRemove: State.OOMKilled/ExitCode must survive a death
            // the image's entrypoint never runs: it could exit, or write into the agent's stream
            if (agentVolume != null) {
                // the agent as the container's command, reached through the container's own stdin and stdout: when
                // the engine's connection goes, its stdin ends and so does the container (docs/exec-agent.md)
                cmd.withEntrypoint(ExecAgent.PATH).withCmd(List.of()).withUser("0:0")
                        .withStdinOpen(true).withStdInOnce(true)
                        .withAttachStdin(true).withAttachStdout(true).withAttachStderr(true);
                hc.withLogConfig(new LogConfig(LogConfig.LoggingType.NONE));    // dockerd keeps no copy of the frames
            } else {
                cmd.withEntrypoint(KEEP_ALIVE).withCmd(List.of());
            }
            return cmd.exec().getId();
        });
    }

    /** Pulls a missing image under the pull deadline, or explains why not. */
    private void pull(String image, NotFoundException missing) {
        if (config.pullTimeout().isZero())
            throw new ImageUnavailableException(image, "pulling is disabled", missing);
        String repo = image;
        String tag = null;
        if (!image.contains("@")) {
            int slash = image.lastIndexOf('/');
            int colon = image.lastIndexOf(':');
            if (colon > slash) {
                repo = image.substring(0, colon);
                tag = image.substring(colon + 1);
            } else {
                tag = "latest";          // without a tag the engine would pull every tag
            }
        }
        PullWatch w = new PullWatch();
        String r = repo;
        String t = tag;
        try {
            calls.call("pull " + image, () -> {
                var cmd = docker.pullImageCmd(r);
                if (t != null) cmd.withTag(t);
                return cmd.exec(w);
            });
            if (!w.done.await(config.pullTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                w.close();
                throw new ImageUnavailableException(image, "no answer from the pull within " + DockerCalls.seconds(config.pullTimeout()), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            w.close();
            throw new ImageUnavailableException(image, "interrupted while pulling", e);
        } catch (ImageUnavailableException | EngineUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ImageUnavailableException(image, DockerCalls.engineMessage(e), e);
        }
        if (w.error != null) throw new ImageUnavailableException(image, DockerCalls.engineMessage(w.error), w.error);
        if (w.itemError != null) throw new ImageUnavailableException(image, w.itemError, null);
    }

    /** Collects a pull's end and its first error (errors come either as onError or as an item's error field). */
    private static final class PullWatch implements ResultCallback<PullResponseItem> {
        final CountDownLatch done = new CountDownLatch(1);
        volatile Closeable stream;
        volatile Throwable error;
        volatile String itemError;

        @Override public void onStart(Closeable c) { stream = c; }

        @Override public void onNext(PullResponseItem item) {
            if (itemError != null) return;
            if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) itemError = item.getErrorDetail().getMessage();
        }

        @Override public void onError(Throwable t) {
            if (error == null) error = t;
            done.countDown();
        }

        @Override public void onComplete() { done.countDown(); }

        @Override public void close() {
            done.countDown();
            try {
                Closeable s = stream;
                if (s != null) s.close();
            } catch (IOException | RuntimeException ignored) {
                // going away
            }
        }
    }

    /** Ids of all containers (running or not) labelled with this owner. */
    public List<String> containersOf(String owner) {
        List<String> ids = new ArrayList<>();
        for (Container c : listOwned(owner)) ids.add(c.getId());
        return ids;
    }

    /** {@link #sweepLeftovers(String, String)} for a caller whose controller id is its owner (the default). */
    public int sweepLeftovers(String owner) {
        return sweepLeftovers(owner, owner);
    }

    /**
     * Removes containers of crashed runs among those labelled with this owner. Never touched: containers of another
     * controller (running or not: that controller's own sweep judges them), of runs alive in this JVM (open, or
     * starting: created but not registered yet), and of a process still alive in this process space (same host, same
     * boot, same pid namespace). A container made on another machine or in another pid namespace (another node sharing
     * the engine) cannot be checked from here, so it is removed only once it has stopped, and not before
     * {@link #FOREIGN_GRACE} after that. Containers without controller or host labels (made before those labels
     * existed) are judged as before: this controller's, and from this host.
     * @param controller this caller's {@code io.quire.controller} value ({@link RunSpec#controller()})
     * @return how many containers were removed
     */
    public int sweepLeftovers(String owner, String controller) {
        return sweepLeftovers(owner, controller, FOREIGN_GRACE);
    }

    int sweepLeftovers(String owner, String controller, Duration foreignGrace) {
        int n = 0;
        String here = hostName();
        String space = pidSpace();
        long self = ProcessHandle.current().pid();
        for (Container c : listOwned(owner)) {
            Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
            String ctl = labels.get(LABEL_CONTROLLER);
            if (ctl != null && !ctl.equals(controller)) continue;
            if (OpenContainers.isLive(labels.get(LABEL_RUN), c.getId())) continue;
            String host = labels.get(LABEL_HOST);
            String pidSpace = labels.get(LABEL_PID_SPACE);
            boolean checkable = host == null || (host.equals(here) && (pidSpace == null || pidSpace.equals(space)));
            if (checkable) {
                Long pid = parseLong(labels.get(LABEL_PID));
                if (pid != null && pid != self && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
            } else if (!stoppedSince(c, foreignGrace)) {
                continue;
            }
            try {
                calls.call("remove leftover container " + c.getId(),
                        () -> { docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec(); return null; });
                n++;
            } catch (NotFoundException gone) {
                // removed meanwhile
            } catch (ConflictException beingRemoved) {
                // "removal ... is already in progress": its own run (or another sweep) is removing it right now
            }
        }
        return n;
    }

    /** Whether the container has stopped (exited or dead) at least {@code grace} ago; a running or new one has not. */
    private boolean stoppedSince(Container c, Duration grace) {
        if (!"exited".equals(c.getState()) && !"dead".equals(c.getState())) return false;
        if (grace.isZero()) return true;
        try {
            String finished = calls.call("inspect leftover container " + c.getId(),
                    () -> docker.inspectContainerCmd(c.getId()).exec().getState().getFinishedAt());
            return finished != null && Instant.parse(finished).plus(grace).isBefore(Instant.now());
        } catch (NotFoundException gone) {
            return false;
        } catch (DateTimeParseException unreadable) {
            return false;
        }
    }

    private List<Container> listOwned(String owner) {
        return calls.call("list containers of " + owner, () -> docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(LABEL_OWNER, owner))
                .exec());
    }

    /** Closes the client connection pool (open RunContainers stay usable only until then: close them first). */
    @Override public void close() {
        DockerClientFactory.closeQuietly(docker);
    }

    static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) return h.trim();
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            return Optional.ofNullable(System.getenv("COMPUTERNAME")).orElse("unknown");
        }
    }

    /**
     * This JVM's process space: the kernel's boot id and the pid namespace, so a pid label is only trusted where it
     * names the same process.
     */
    static String pidSpace() {
        String boot;
        try {
            boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        } catch (IOException | RuntimeException e) {
            boot = "unknown";
        }
        String ns;
        try {
            ns = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        } catch (IOException | RuntimeException e) {
            ns = "unknown";
        }
        return boot + "/" + ns;
    }

    private static Long parseLong(String s) {
        try {
            return s == null ? null : Long.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
