package io.jenkins.plugins.quire.container;

/**
 * Why: what the run log and the console say about one cache of a run (docs/log-format.md, {@code cache-mount}): the
 * path as declared, the directory it was mounted at, the volume and whether this run created it.
 *
 * @param path       the declared path, normalised ({@code ~/.m2} or {@code /cache/pip})
 * @param mountPoint the absolute directory in the container
 * @param volume     the Docker volume's name
 * @param created    true when this run created the volume (empty), false when it reused one
 */
public record CacheMount(String path, String mountPoint, String volume, boolean created) { }
