package io.jenkins.plugins.quire.container;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Why: every multiplexed stream the engine reads (a plain exec's output, the exec agent's attach, the root commands,
 * the process killer) goes through here, on the client's own transport, so that {@link MuxReader} reads the raw
 * response body in large reads instead of docker-java's 1 KiB frames. The requests are those docker-java's
 * {@code execStartCmd}/{@code attachContainerCmd} send (same path, query, headers and body; the transport adds the
 * connection upgrade for a hijacked stdin), and they behave the same: each stream is read on a daemon thread of its
 * own, and an engine's refusal (404, 409, ...) arrives in {@link Receiver#onError} as docker-java's exception with the
 * engine's answer, so the callers' messages stay as they were. The few answers docker-java has no command for or
 * maps too slowly ({@link VolumeSizes}, {@link ContainerSettings}) are fetched here too ({@link #get}).
 */
final class DockerStreams {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final byte[] EXEC_START = "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.US_ASCII);
    /**
     * The pause after a short read of an exec's stream ({@link MuxReader}): half a millisecond lets about 35 KB
     * gather at the pipe's speed, within the socket's buffer. The agent's stream has none: its frames come gathered
     * already, and a pause would add to every {@code sh} the agent runs.
     */
    static final long EXEC_GATHER_NANOS = 500_000;

    /** One stream's receiver; every method is called on the stream's thread. */
    interface Receiver extends MuxReader.Sink {
        /** The engine answered: {@code close} ends the stream (from any thread). */
        void onStart(Closeable close);

        /** The request failed, or the stream broke (also after {@code close}). */
        void onError(Throwable t);

        /** The stream ended between two frames. */
        void onComplete();
    }

    private final DockerHttpClient http;
    private final String prefix;

    /** @param apiVersion the negotiated version ("1.44"), or null for the engine's default */
    DockerStreams(DockerHttpClient http, String apiVersion) {
        this.http = http;
        this.prefix = apiVersion == null ? "" : "/v" + apiVersion;
    }

    /**
     * {@code GET path} (under the negotiated API version) on the transport, on the caller's thread: the answer's body
     * when the engine answered 200, else null. Callers bound it with their own deadline ({@link DockerCalls}).
     */
    byte[] get(String path) throws IOException {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path(prefix + path).build();
        try (DockerHttpClient.Response r = http.execute(request); InputStream body = r.getBody()) {
            return r.getStatusCode() == 200 ? body.readAllBytes() : null;
        }
    }

    /** {@code POST /exec/{id}/start} without a TTY: the exec runs and its output streams to {@code r}. */
    void execStart(String execId, Receiver r) {
        stream(DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(prefix + "/exec/" + segment(execId) + "/start")
                .putHeader("accept", "application/json")
                .putHeader("content-type", "application/json")
                .bodyBytes(EXEC_START)
                .build(), r, MuxReader.pause(EXEC_GATHER_NANOS));
    }

    /**
     * {@code POST /containers/{id}/attach} to stdout and stderr from now on (no logs), with {@code stdin} sent on the
     * hijacked connection by the transport's own thread.
     */
    void attach(String containerId, InputStream stdin, Receiver r) {
        stream(DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(prefix + "/containers/" + segment(containerId) + "/attach?stream=true&stdin=true&stdout=true&stderr=true")
                .putHeader("content-type", "application/json")
                .hijackedInput(stdin)
                .build(), r, null);
    }

    /** {@code id} as one segment of a request path. */
    static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void stream(DockerHttpClient.Request request, Receiver r, Runnable gather) {
        Thread t = new Thread(() -> run(request, r, gather), "quire-docker-stream-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    private void run(DockerHttpClient.Request request, Receiver r, Runnable gather) {
        Thread self = Thread.currentThread();
        try (DockerHttpClient.Response response = http.execute(request)) {
            int status = response.getStatusCode();
            if (status < 200 || status > 299) throw refusal(status, response);
            r.onStart(() -> {
                self.interrupt();
                response.close();
            });
            new MuxReader(response.getBody(), r, gather).readAll();
            r.onComplete();
        } catch (Throwable e) {
            r.onError(e);
        }
    }

    /** The engine's refusal as docker-java reports it, its answer (JSON with a message) as the text. */
    private static DockerException refusal(int status, DockerHttpClient.Response response) {
        String body;
        try (InputStream in = response.getBody()) {
            body = in == null ? "" : new String(in.readNBytes(64 << 10), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        switch (status) {
            case 400:
                return new BadRequestException(body);
            case 404:
                return new NotFoundException(body);
            case 409:
                return new ConflictException(body);
            case 500:
                return new InternalServerErrorException(body);
            default:
                return new DockerException(body, status);
        }
    }
}
