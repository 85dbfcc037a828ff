package io.jenkins.plugins.quire.container;

import java.time.Duration;

/**
 * Why: how to reach the Docker engine and how long to wait for it. docker-java's own timeouts do nothing
 * on the unix socket, so every blocking call runs under {@link #callTimeout()} (pulls under {@link #pullTimeout()}).
 * Immutable; {@code with*} methods return copies.
 */
public final class EngineConfig {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private final String host;
    private final Duration callTimeout;
    private final Duration pullTimeout;
    private final String apiVersion;

    private EngineConfig(String host, Duration callTimeout, Duration pullTimeout, String apiVersion) {
        this.host = host;
        this.callTimeout = callTimeout;
        this.pullTimeout = pullTimeout;
        this.apiVersion = apiVersion;
    }

    /** The local engine socket, 30 s per call, 5 min per pull, API version negotiated. */
    public static EngineConfig defaults() {
        return new EngineConfig(DEFAULT_HOST, Duration.ofSeconds(30), Duration.ofMinutes(5), null);
    }

    /** Like {@link #defaults()} but with the host from {@code DOCKER_HOST} when that variable is set. */
    public static EngineConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** As {@link #fromEnvironment()}, reading {@code DOCKER_HOST} from the given environment. */
    public static EngineConfig fromEnvironment(java.util.Map<String, String> env) {
        String h = env.get("DOCKER_HOST");
        if (h == null || h.isBlank()) return defaults();
        String host = h.trim();
        if (!isSupportedHost(host))
            throw new IllegalArgumentException("DOCKER_HOST '" + host + "' is not a supported Docker address (unix:// or tcp://)");
        return defaults().withHost(host);
    }

    /** e.g. {@code unix:///var/run/docker.sock} or {@code tcp://127.0.0.1:2375}. */
    public EngineConfig withHost(String host) {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("Docker host must not be empty");
        if (!isSupportedHost(host))
            throw new IllegalArgumentException("Docker host '" + host + "' is not a supported Docker address (unix:// or tcp://)");
        return new EngineConfig(host, callTimeout, pullTimeout, apiVersion);
    }

    /** {@code unix://<absolute path>} or {@code tcp://<host>[:port]}: what the engine client can connect to. */
    static boolean isSupportedHost(String host) {
        try {
            java.net.URI u = new java.net.URI(host);
            if ("unix".equals(u.getScheme())) return u.getPath() != null && u.getPath().startsWith("/") && u.getPath().length() > 1;
            if ("tcp".equals(u.getScheme())) return u.getHost() != null && (u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/"));
            return false;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    public EngineConfig withCallTimeout(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("Docker call timeout must be positive");
        return new EngineConfig(host, d, pullTimeout, apiVersion);
    }

    /** Zero disables pulling: a missing image fails at once. */
    public EngineConfig withPullTimeout(Duration d) {
        if (d == null || d.isNegative()) throw new IllegalArgumentException("Docker pull timeout must not be negative");
        return new EngineConfig(host, callTimeout, d, apiVersion);
    }

    /** Pins an API version such as "1.41"; null (the default) negotiates min(engine, library) at connect. */
    public EngineConfig withApiVersion(String v) {
        if (v != null && !v.matches("\\d+\\.\\d+")) throw new IllegalArgumentException("Docker API version must look like 1.41, got '" + v + "'");
        return new EngineConfig(host, callTimeout, pullTimeout, v);
    }

    public String host() {
        return host;
    }

    public Duration callTimeout() {
        return callTimeout;
    }

    public Duration pullTimeout() {
        return pullTimeout;
    }

    /** Null = negotiate. */
    public String apiVersion() {
        return apiVersion;
    }
}
