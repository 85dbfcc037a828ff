package io.jenkins.plugins.quire.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import java.io.IOException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Why: docker-java has no API-version negotiation (docker-java#2547) and an old pinned version breaks on new
 * engines; this asks the engine's /version unversioned and pins min(engine, library) for every later call.
 * Transport: zerodep over the unix socket.
 */
final class DockerClientFactory {
    /** Highest API version docker-java 3.7.1 has constants for. */
    static final String LIBRARY_MAX_API = "1.44";

    /**
     * The transport's HTTP client logs every retried request ("recoverable I/O exception ... re-executed") at INFO,
     * which would show in the CLI's and Jenkins' logs whenever the engine is unreachable; we report that ourselves.
     * Held strongly: java.util.logging keeps loggers only weakly.
     */
    private static final Logger RETRY_LOG = Logger.getLogger(
            ZerodepDockerHttpClient.class.getPackageName() + ".shaded.org.apache.hc.client5.http.impl.classic");

    static {
        RETRY_LOG.setLevel(Level.WARNING);
    }

    private DockerClientFactory() { }

    /** A connected client plus what was negotiated. */
    static final class Connected {
        final DockerClient client;
        /** The client's transport, for raw requests docker-java has no command for ({@code system df}). */
        final DockerHttpClient http;
        final String apiVersion;
        final String engineVersion;

        Connected(Built built, String apiVersion, String engineVersion) {
            this.client = built.client;
            this.http = built.http;
            this.apiVersion = apiVersion;
            this.engineVersion = engineVersion;
        }
    }

    /** A client and the transport it was built on. */
    private record Built(DockerClient client, DockerHttpClient http) { }

    static Connected connect(EngineConfig cfg, DockerCalls calls) {
        String api = cfg.apiVersion();
        String engineVersion;
        Built built = build(cfg.host(), api);
        DockerClient probe = built.client();
        try {
            Version v = calls.call("version", () -> probe.versionCmd().exec());
            engineVersion = v.getVersion();
            if (api == null) api = choose(v.getApiVersion(), v.getMinAPIVersion());
        } catch (EngineUnavailableException e) {
            closeQuietly(probe);
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(probe);
            throw new EngineUnavailableException("Docker engine at " + cfg.host() + " did not answer the version request: "
                    + DockerCalls.engineMessage(e), e);
        }
        if (cfg.apiVersion() != null) return new Connected(built, api, engineVersion);
        closeQuietly(probe);
        return new Connected(build(cfg.host(), api), api, engineVersion);
    }

    static String choose(String engineMax, String engineMin) {
        if (engineMax == null) return null;
        String chosen = compare(engineMax, LIBRARY_MAX_API) < 0 ? engineMax : LIBRARY_MAX_API;
        if (engineMin != null && compare(chosen, engineMin) < 0)
            throw new ContainerException("the Docker engine needs API version >= " + engineMin
                    + " but this plugin's Docker client speaks at most " + LIBRARY_MAX_API);
        return chosen;
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        int c = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }

    private static Built build(String host, String apiVersion) {
        DefaultDockerClientConfig.Builder b = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .withDockerTlsVerify(false);
        if (apiVersion != null) b.withApiVersion(apiVersion);
        DockerClientConfig cfg = b.build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(cfg.getDockerHost())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(10))
                .build();
        return new Built(DockerClientImpl.getInstance(cfg, http), http);
    }

    static void closeQuietly(DockerClient c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing to do
        }
    }
}
