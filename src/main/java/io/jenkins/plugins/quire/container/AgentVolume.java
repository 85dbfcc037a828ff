package io.jenkins.plugins.quire.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.VolumeOptions;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Why: copying the exec agent into every created container makes dockerd mount that container's file system before
 * it starts, about 300 ms on the test machine, more than the agent saves at start. The binary lives instead in a named
 * volume of the engine ({@code quire-agent-<sha256 prefix of the binary>}, labelled {@code io.quire.agent}), filled
 * once per engine and binary through Docker's archive API (and again when it was removed), and mounted read-only at {@code /.quire-agent} in every
 * run container (docs/exec-agent.md). A volume works with a remote {@code DOCKER_HOST} too. Its content never changes
 * (a new binary is a new name); removing it is always safe: the next run fills it again.
 */
final class AgentVolume {
    static final String LABEL = "io.quire.agent";
    private static final String PREFIX = "quire-agent-";
    private AgentVolume() { }

    /** The last binary named and its name (the packaged binaries are read once per JVM: {@link AgentBinary}). */
    private static volatile Object[] lastName;

    /** The volume's name for this binary. */
    static String nameOf(byte[] binary) {
        Object[] last = lastName;
        if (last != null && last[0] == binary) return (String) last[1];      // the packaged binary: one array per JVM
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(binary);
            String name = PREFIX + HexFormat.of().formatHex(h, 0, 12);
            lastName = new Object[] {binary, name};
            return name;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The read-only mount of the agent's volume at the agent's directory. */
    static Mount mount(String volume) {
        return new Mount().withType(MountType.VOLUME).withSource(volume).withTarget("/" + ExecAgent.DIR).withReadOnly(true)
                .withVolumeOptions(new VolumeOptions().withNoCopy(true));
    }

    /** Whether the engine has the volume (read-only); false when it is missing or the engine did not say. */
    static boolean exists(DockerClient docker, DockerCalls calls, String name) {
        try {
            calls.call("inspect the exec agent's volume", () -> docker.inspectVolumeCmd(name).exec());
            return true;
        } catch (RuntimeException missingOrUnknown) {
            return false;
        }
    }

    /**
     * Makes sure the volume holding {@code binary} exists and is filled: when it is missing, creates it and copies the
     * binary in through a container of {@code image} that is created for that (never started) and removed.
     * @param labels the labels of the filling container (a run's: a sweep removes it if this process dies meanwhile)
     * @return the volume's name
     * @throws ExecAgent.Unavailable when it cannot be made or filled (the run uses plain execs)
     */
    static String ensure(DockerClient docker, DockerCalls calls, String image, byte[] binary, Map<String, String> labels)
            throws ExecAgent.Unavailable {
        String name = nameOf(binary);
        // asked at every start (a few ms): `docker volume prune` removes it between runs, and a mount of a missing
        // named volume would quietly make an empty one
        try {
            calls.call("inspect the exec agent's volume", () -> docker.inspectVolumeCmd(name).exec());
            return name;
        } catch (NotFoundException missing) {
            // filled below
        } catch (RuntimeException e) {
            throw new ExecAgent.Unavailable("could not inspect the exec agent's volume " + name + ": " + DockerCalls.engineMessage(e));
        }
        String filler = null;
        try {
            calls.call("create the exec agent's volume", () -> docker.createVolumeCmd().withName(name)
                    .withLabels(Map.of(LABEL, "1")).exec());
            Mount rw = new Mount().withType(MountType.VOLUME).withSource(name).withTarget("/" + ExecAgent.DIR)
                    .withVolumeOptions(new VolumeOptions().withNoCopy(true));
            String id = calls.call("create a container to fill the exec agent's volume", () -> docker.createContainerCmd(image)
                    .withLabels(labels).withEntrypoint(List.of(ExecAgent.PATH)).withCmd(List.of())
                    .withHostConfig(HostConfig.newHostConfig().withMounts(List.of(rw))).exec().getId());
            filler = id;
            byte[] tar = AgentTar.directoryWithExecutable(ExecAgent.DIR, ExecAgent.NAME, binary);
            calls.call("fill the exec agent's volume", () -> {
                docker.copyArchiveToContainerCmd(id).withRemotePath("/").withTarInputStream(new ByteArrayInputStream(tar)).exec();
                return null;
            });
            return name;
        } catch (RuntimeException e) {
            throw new ExecAgent.Unavailable("could not put the exec agent into volume " + name + ": " + DockerCalls.engineMessage(e));
        } finally {
            if (filler != null) {
                String id = filler;
                try {
                    calls.call("remove the container that filled the exec agent's volume",
                            () -> { docker.removeContainerCmd(id).withForce(true).exec(); return null; });
                } catch (RuntimeException e) {
                    // labelled like a run container: the next sweep removes it
                }
            }
        }
    }

    /**
     * Removes a volume whose agent did not start (filled by halves when a process died while filling it), so the next
     * run fills it again; best effort.
     */
    static void discard(DockerClient docker, DockerCalls calls, String name) {
        try {
            calls.call("remove the exec agent's volume " + name, () -> { docker.removeVolumeCmd(name).exec(); return null; });
        } catch (RuntimeException inUseOrGone) {
            // another run uses it, or it is gone already
        }
    }
}
