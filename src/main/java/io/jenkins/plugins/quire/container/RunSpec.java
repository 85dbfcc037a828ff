package io.jenkins.plugins.quire.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Why: what one run's container is made of (docs/architecture.md): image, workspace mounted at /work, the labels that
 * let a later start sweep it up (run id, owner, controller), the exec user, optional memory limit and network mode, and the jobs
 * that get a scratch directory ({@link JobScratch}).
 * Immutable; {@code with*} methods return copies.
 */
public final class RunSpec {
    private final String image;
    private final Path workspace;
    private final String runId;
    private final String owner;
    private final String user;
    private final Long memoryBytes;
    private final String networkMode;
    private final List<String> jobScratch;
    private ExecMode execMode = ExecMode.AGENT;
    private byte[] agentBinary;
    private String controller;
    private Path bindSource;
    private String cacheOwner;
    private List<String> caches = List.of();

    private RunSpec(String image, Path workspace, String runId, String owner, String user, Long memoryBytes, String networkMode,
                    List<String> jobScratch) {
        this.image = image;
        this.workspace = workspace;
        this.runId = runId;
        this.owner = owner;
        this.user = user;
        this.memoryBytes = memoryBytes;
        this.networkMode = networkMode;
        this.jobScratch = jobScratch;
    }

    /**
     * @param image     image name as written by the user (e.g. {@code debian:bookworm})
     * @param workspace host directory, bind-mounted read-write at /work; must exist
     * @param runId     value of the {@code io.quire.run} label
     * @param owner     value of the {@code io.quire.owner} label (the Jenkins URL, or "cli")
     */
    public static RunSpec of(String image, Path workspace, String runId, String owner) {
        if (image == null || image.isBlank()) throw new IllegalArgumentException("image name must not be empty");
        if (workspace == null) throw new IllegalArgumentException("workspace must be set");
        if (!Files.isDirectory(workspace)) throw new IllegalArgumentException("workspace '" + workspace + "' is not a directory");
        if (runId == null || runId.isBlank()) throw new IllegalArgumentException("run id must not be empty");
        if (owner == null || owner.isBlank()) throw new IllegalArgumentException("owner must not be empty");
        return new RunSpec(image.trim(), workspace.toAbsolutePath().normalize(), runId, owner, null, null, null, List.of());
    }

    /** Exec user such as "1000:1000" or "root"; null (default) = the uid:gid owning the workspace. */
    public RunSpec withUser(String user) {
        return copy(new RunSpec(image, workspace, runId, owner, user == null || user.isBlank() ? null : user, memoryBytes, networkMode, jobScratch));
    }

    /** Memory limit for the whole container (memory + swap); null = unlimited. */
    public RunSpec withMemoryBytes(Long bytes) {
        if (bytes != null && bytes < 6 * 1024 * 1024) throw new IllegalArgumentException("memory limit must be at least 6 MiB, got " + bytes);
        return copy(new RunSpec(image, workspace, runId, owner, user, bytes, networkMode, jobScratch));
    }

    /** Docker network mode ("none", "bridge", ...); null = the engine's default. */
    public RunSpec withNetworkMode(String mode) {
        return copy(new RunSpec(image, workspace, runId, owner, user, memoryBytes, mode, jobScratch));
    }

    /**
     * Jobs that get a scratch directory {@code /tmp/quire/<id>} (owned by the exec user, mode 0700, empty), made at
     * container start before any exec ({@link JobScratch}); empty (default) = none made. Duplicates count once.
     * @throws IllegalArgumentException naming an id that cannot name a directory
     */
    public RunSpec withJobScratch(List<String> jobIds) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (String j : jobIds) ids.add(JobScratch.checkId(j));
        return copy(new RunSpec(image, workspace, runId, owner, user, memoryBytes, networkMode, List.copyOf(new ArrayList<>(ids))));
    }

    private RunSpec copy(RunSpec to) {
        to.execMode = execMode;
        to.agentBinary = agentBinary;
        to.controller = controller;
        to.bindSource = bindSource;
        to.cacheOwner = cacheOwner;
        to.caches = caches;
        return to;
    }

    /**
     * Value of the {@code io.quire.controller} label: which controller (Jenkins instance, or "cli") the run belongs
     * to; a leftover sweep only looks at its own controller's containers. Null or blank (default) = the owner.
     */
    public RunSpec withController(String id) {
        RunSpec s = copy(new RunSpec(image, workspace, runId, owner, user, memoryBytes, networkMode, jobScratch));
        s.controller = id == null || id.isBlank() ? null : id;
        return s;
    }

    /** The {@code io.quire.controller} label's value. */
    public String controller() {
        return controller != null ? controller : owner;
    }

    /**
     * Tests: the host directory the engine bind-mounts at /work instead of the workspace, standing in for an engine
     * that runs elsewhere and finds another directory under the workspace's path.
     */
    RunSpec withBindSource(Path dir) {
        RunSpec s = copy(new RunSpec(image, workspace, runId, owner, user, memoryBytes, networkMode, jobScratch));
        s.bindSource = dir;
        return s;
    }

    /** The host directory the engine mounts at /work: the workspace, except in tests. */
    Path bindSource() {
        return bindSource != null ? bindSource : workspace;
    }

    /**
     * How the run's commands reach the container: {@link ExecMode#AGENT} (default) starts the exec agent and falls
     * back to plain execs when it cannot run; {@link ExecMode#DOCKER} forces plain execs (docs/exec-agent.md).
     */
    public RunSpec withExecMode(ExecMode mode) {
        RunSpec s = copy(new RunSpec(image, workspace, runId, owner, user, memoryBytes, networkMode, jobScratch));
        s.execMode = mode == null ? ExecMode.AGENT : mode;
        return s;
    }

    /**
     * Caches to mount: one Docker volume per (owner, path), created when missing ({@link CacheVolumes}).
     * @param owner the owner key the volumes belong to (the CLI workspace's canonical path, or the Jenkins job's full
     *              name and the Jenkins instance id)
     * @param paths normalised cache paths, absolute or {@code ~/...} (in the exec user's home)
     * @throws IllegalArgumentException for an empty owner with caches, or a path that is neither absolute nor {@code ~/...}
     */
    public RunSpec withCaches(String owner, List<String> paths) {
        if (!paths.isEmpty() && (owner == null || owner.isBlank()))
            throw new IllegalArgumentException("caches need an owner key");
        for (String p : paths) {
            if (!(p.startsWith("/") || p.startsWith(CacheHome.PREFIX)) || p.indexOf(0) >= 0)
                throw new IllegalArgumentException("cache path '" + p + "' must be absolute or start with ~/");
        }
        RunSpec s = copy(new RunSpec(image, workspace, runId, owner(), user, memoryBytes, networkMode, jobScratch));
        s.cacheOwner = owner;
        s.caches = List.copyOf(new LinkedHashSet<>(paths));
        return s;
    }

    /** The owner key of the caches, or null when the run has none. */
    public String cacheOwner() {
        return cacheOwner;
    }

    /** The cache paths to mount, normalised; empty when none. */
    public List<String> caches() {
        return caches;
    }

    public ExecMode execMode() {
        return execMode;
    }

    /** Tests: the agent binary to install instead of the one this build carries (a fake agent, say). */
    RunSpec withAgentBinary(byte[] binary) {
        RunSpec s = copy(new RunSpec(image, workspace, runId, owner, user, memoryBytes, networkMode, jobScratch));
        s.agentBinary = binary;
        return s;
    }

    byte[] agentBinary() {
        return agentBinary;
    }

    /** The jobs whose scratch directories the container start makes; empty when none. */
    public List<String> jobScratch() {
        return jobScratch;
    }

    public String image() {
        return image;
    }

    public Path workspace() {
        return workspace;
    }

    public String runId() {
        return runId;
    }

    public String owner() {
        return owner;
    }

    /** Null = workspace owner. */
    public String user() {
        return user;
    }

    public Long memoryBytes() {
        return memoryBytes;
    }

    public String networkMode() {
        return networkMode;
    }
}
