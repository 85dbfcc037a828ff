package io.jenkins.plugins.quire.container;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Why: what one run's container is made of (docs/architecture.md): image, workspace mounted at /work, the labels that
 * let a later start sweep it up (run id, owner), the exec user, optional memory limit and network mode.
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

    private RunSpec(String image, Path workspace, String runId, String owner, String user, Long memoryBytes, String networkMode) {
        this.image = image;
        this.workspace = workspace;
        this.runId = runId;
        this.owner = owner;
        this.user = user;
        this.memoryBytes = memoryBytes;
        this.networkMode = networkMode;
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
        return new RunSpec(image.trim(), workspace.toAbsolutePath().normalize(), runId, owner, null, null, null);
    }

    /** Exec user such as "1000:1000" or "root"; null (default) = the uid:gid owning the workspace. */
    public RunSpec withUser(String user) {
        return new RunSpec(image, workspace, runId, owner, user == null || user.isBlank() ? null : user, memoryBytes, networkMode);
    }

    /** Memory limit for the whole container (memory + swap); null = unlimited. */
    public RunSpec withMemoryBytes(Long bytes) {
        if (bytes != null && bytes < 6 * 1024 * 1024) throw new IllegalArgumentException("memory limit must be at least 6 MiB, got " + bytes);
        return new RunSpec(image, workspace, runId, owner, user, bytes, networkMode);
    }

    /** Docker network mode ("none", "bridge", ...); null = the engine's default. */
    public RunSpec withNetworkMode(String mode) {
        return new RunSpec(image, workspace, runId, owner, user, memoryBytes, mode);
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
