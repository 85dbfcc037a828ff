package io.jenkins.plugins.quire.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Why: a Docker engine bind-mounts paths of its own machine, so an engine that runs elsewhere (a remote
 * {@code DOCKER_HOST}, or a node that is itself a container talking to the host's engine) mounts an empty or a
 * different directory at /work, and every job would then build the wrong tree. Once the container runs, the host
 * writes a file with a random name and random content into the workspace; the one root exec at container start
 * ({@link JobScratch}) checks that /work holds it with that content (docs/architecture.md, Containers). The file is
 * removed as soon as the check is over, whatever its outcome.
 */
final class WorkspaceMarker implements AutoCloseable {
    /** Every marker's name starts with this; the rest is random. */
    static final String PREFIX = ".quire-marker-";
    /** The container-side check's exit code when /work does not hold the marker. */
    static final int NOT_VISIBLE_EXIT = 5;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path workspace;
    private final Path file;
    private final String content;
    private final String engineHost;

    private WorkspaceMarker(Path workspace, Path file, String content, String engineHost) {
        this.workspace = workspace;
        this.file = file;
        this.content = content;
        this.engineHost = engineHost;
    }

    /**
     * Writes a fresh marker into {@code workspace} (readable by everyone: the check runs as the container's root,
     * which a user-namespaced engine maps to an unprivileged host user).
     * @return the marker, or null when this process cannot write the workspace (then nothing can be checked)
     */
    static WorkspaceMarker write(Path workspace, String engineHost) {
        String name = PREFIX + random(8);
        String content = random(16);
        Path file = workspace.resolve(name);
        try {
            Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException | UnsupportedOperationException ignored) {
            // the umask's mode: root in the container can read it unless user namespaces remap root
        }
        return new WorkspaceMarker(workspace, file, content, engineHost);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The marker's file name inside the workspace (and so inside /work). */
    String name() {
        return file.getFileName().toString();
    }

    /** The content /work must show. */
    String content() {
        return content;
    }

    /**
     * The error for a container whose /work does not hold the marker.
     * @param seen what the check found instead, as reported by the container ("/work is empty", ...)
     */
    WorkspaceNotVisibleException notVisible(String seen) {
        return new WorkspaceNotVisibleException("the Docker engine at " + engineHost + " does not see the workspace "
                + workspace + ": a file written there was not found in " + WorkDirs.ROOT + " inside the container ("
                + (seen == null || seen.isBlank() ? "no details" : seen.trim()) + "). The engine bind-mounts paths of"
                + " the machine it runs on: run the build on a node whose Docker engine runs on that node (its local"
                + " socket, or DOCKER_HOST naming an engine there), or, when the node itself runs in a container and"
                + " talks to its host's engine, mount the workspace into that container at the same path as on the"
                + " host.");
    }

    /** Removes the marker; never fails (a marker that cannot be removed is left to the workspace's owner). */
    @Override public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
