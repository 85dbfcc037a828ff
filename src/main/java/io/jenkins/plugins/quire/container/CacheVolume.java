package io.jenkins.plugins.quire.container;

/**
 * Why: one cache volume as the listings show it ({@code quire-ci cache list}, the job's caches page), read back from
 * the volume's labels.
 *
 * @param volume  the Docker volume's name
 * @param owner   the owner key it belongs to (the CLI workspace's path, or the Jenkins instance and job)
 * @param path    the declared cache path
 * @param created when the volume was created (ISO-8601 instant), or "" when the label is missing
 */
public record CacheVolume(String volume, String owner, String path, String created) implements java.io.Serializable { }
