package io.jenkins.plugins.quire.pipeline;

/**
 * Why: one {@code (ci.cache path)} of a valid pipeline: the normalised path ({@link CachePaths}) and the ci.fnl line
 * that declared it, so the engine can mount it and the listings can name it.
 */
public record CacheDeclaration(String path, int line) { }
