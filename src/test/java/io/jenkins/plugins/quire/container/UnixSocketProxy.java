package io.jenkins.plugins.quire.container;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Why: to test "the Docker engine went away" without stopping the machine's dockerd, tests talk to the engine
 * through this byte-for-byte unix socket relay and then cut it: every connection drops and new ones are refused,
 * exactly what a client sees when the daemon dies. It can also hold back the engine's answer to one request
 * ({@link #holdAnswerTo}), which widens a race window deterministically: the engine has done the work, the client
 * does not know yet.
 */
public final class UnixSocketProxy implements AutoCloseable {
    private final Path socket;
    private final Path target;
    private final ServerSocketChannel server;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicReference<Hold> armed = new AtomicReference<>();

    public UnixSocketProxy(Path socket, Path target) throws IOException {
        this.socket = socket;
        this.target = target;
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(this::acceptLoop, "unix-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    public String dockerHost() {
        return "unix://" + socket;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                accepted.incrementAndGet();
                SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(target));
                open.add(client);
                open.add(upstream);
                AtomicReference<Hold> held = new AtomicReference<>();
                pump(client, upstream, held, false);
                pump(upstream, client, held, true);
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * Holds back the engine's answer to the next request whose bytes contain {@code fragment} (e.g.
     * {@code "/containers/create"}) until {@link Hold#release()}; the request itself goes through at once.
     */
    Hold holdAnswerTo(String fragment) {
        Hold h = new Hold(fragment);
        armed.set(h);
        return h;
    }

    /** One held answer: {@link #awaitRequest} until the request went through, then {@link #release}. */
    static final class Hold {
        private final String fragment;
        private final CountDownLatch seen = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        private Hold(String fragment) {
            this.fragment = fragment;
        }

        boolean awaitRequest(long seconds) throws InterruptedException {
            return seen.await(seconds, TimeUnit.SECONDS);
        }

        void release() {
            released.countDown();
        }
    }

    /**
     * Relays bytes one way. A request (client to engine) matching the armed hold marks its connection as held before
     * it is relayed, so the answer (engine to client, {@code answers}) waits for the release.
     */
    private void pump(SocketChannel from, SocketChannel to, AtomicReference<Hold> held, boolean answers) {
        Thread t = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            try {
                while (from.read(buf) >= 0) {
                    buf.flip();
                    if (!answers) {
                        Hold h = armed.get();
                        if (h != null && new String(buf.array(), 0, buf.limit(), StandardCharsets.ISO_8859_1)
                                .contains(h.fragment) && armed.compareAndSet(h, null)) {
                            held.set(h);
                            h.seen.countDown();
                        }
                    } else {
                        Hold h = held.getAndSet(null);
                        if (h != null) h.released.await();
                    }
                    while (buf.hasRemaining()) to.write(buf);
                    buf.clear();
                }
                to.shutdownOutput();
            } catch (IOException | RuntimeException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "unix-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** How many connections clients opened through the relay so far. */
    public int connections() {
        return accepted.get();
    }

    /** Cuts every connection and refuses new ones (the socket file is removed). */
    @Override public void close() {
        closed = true;
        Hold h = armed.getAndSet(null);
        if (h != null) h.release();
        closeQuietly(server);
        for (SocketChannel c : open) closeQuietly(c);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // temp file
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
