package io.jenkins.plugins.quire.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.VolumeOptions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Why: caches outlive the run as Docker named volumes, one per (owner, cache path), so they work against a remote
 * engine too (README, Caches). The name is a hash, never user text; labels say whose volume it is and for which path,
 * so volumes can be found, listed and removed. A volume missing at a run's start (cleared, pruned) is created again.
 * Mounted with {@code nocopy}: a cache never carries the image's files.
 */
final class CacheVolumes {
    static final String LABEL_CACHE = "io.quire.cache";
    static final String LABEL_OWNER = "io.quire.cache.owner";
    static final String LABEL_PATH = "io.quire.cache.path";
    static final String LABEL_CREATED = "io.quire.cache.created";
    static final String PREFIX = "quire-cache-";

    private CacheVolumes() { }

    /** The stable volume name of a cache: a SHA-256 prefix of owner and path (the owner length-prefixed, so unambiguous). */
    static String nameOf(String owner, String path) {
        try {
            byte[] o = owner.getBytes(StandardCharsets.UTF_8);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((o.length + ":").getBytes(StandardCharsets.US_ASCII));
            md.update(o);
            byte[] h = md.digest(path.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Makes sure the volume exists; true when this call created it. */
    static boolean ensure(DockerClient docker, DockerCalls calls, String owner, String path) {
        String name = nameOf(owner, path);
        try {
            calls.call("inspect cache volume " + name, () -> docker.inspectVolumeCmd(name).exec());
            return false;
        } catch (NotFoundException missing) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(LABEL_CACHE, "1");
            labels.put(LABEL_OWNER, owner);
            labels.put(LABEL_PATH, path);
            labels.put(LABEL_CREATED, Instant.now().toString());
            calls.call("create cache volume " + name, () -> docker.createVolumeCmd().withName(name).withLabels(labels).exec());
            return true;
        }
    }

    /** The mount of a cache volume at {@code mountPoint}, without copying the image's files into it. */
    static Mount mount(String volume, String mountPoint) {
        return new Mount().withType(MountType.VOLUME).withSource(volume).withTarget(mountPoint)
                .withVolumeOptions(new VolumeOptions().withNoCopy(true));
    }

    /**
     * The cache volumes of {@code owner} (every owner's when null), sorted by path, with the sizes {@code sizes}
     * gives (asked only when there is a volume to measure).
     */
    static List<CacheVolume> list(DockerClient docker, DockerCalls calls, String owner, Supplier<Map<String, Long>> sizes) {
        List<String> filters = new ArrayList<>(List.of(LABEL_CACHE + "=1"));
        if (owner != null) filters.add(LABEL_OWNER + "=" + owner);
        List<InspectVolumeResponse> vs = calls.call("list cache volumes",
                () -> docker.listVolumesCmd().withFilter("label", filters).exec().getVolumes());
        List<CacheVolume> out = new ArrayList<>();
        if (vs == null || vs.isEmpty()) return out;
        Map<String, Long> measured = sizes.get();
        for (InspectVolumeResponse v : vs) {
            Map<String, String> l = v.getLabels() == null ? Map.of() : v.getLabels();
            if (owner != null && !owner.equals(l.get(LABEL_OWNER))) continue;
            out.add(new CacheVolume(v.getName(), l.getOrDefault(LABEL_OWNER, ""), l.getOrDefault(LABEL_PATH, ""),
                    l.getOrDefault(LABEL_CREATED, ""), measured.get(v.getName())));
        }
        out.sort((a, b) -> a.path().compareTo(b.path()));
        return out;
    }

    /**
     * Removes one volume.
     * @return false when it was already gone
     * @throws ContainerException when a container (a running build) still uses it
     */
    static boolean remove(DockerClient docker, DockerCalls calls, String volume) {
        try {
            calls.call("remove cache volume " + volume, () -> { docker.removeVolumeCmd(volume).exec(); return null; });
            return true;
        } catch (NotFoundException gone) {
            return false;
        } catch (ConflictException inUse) {
            throw new ContainerException("cache volume " + volume + " is in use by a running build; clear it when the build has ended", inUse);
        }
    }
}
