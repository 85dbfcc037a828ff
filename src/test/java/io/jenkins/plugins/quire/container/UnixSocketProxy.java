package io.jenkins.plugins.quire.container;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Why: to test "the Docker engine went away" without stopping the machine's dockerd, tests talk to the engine
 * through this byte-for-byte unix socket relay and then cut it: every connection drops and new ones are refused,
 * exactly what a client sees when the daemon dies.
 */
final class UnixSocketProxy implements AutoCloseable {
    private final Path socket;
    private final Path target;
    private final ServerSocketChannel server;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    UnixSocketProxy(Path socket, Path target) throws IOException {
        this.socket = socket;
        this.target = target;
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(this::acceptLoop, "unix-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    String dockerHost() {
        return "unix://" + socket;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(target));
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        Thread t = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            try {
                while (from.read(buf) >= 0) {
                    buf.flip();
                    while (buf.hasRemaining()) to.write(buf);
                    buf.clear();
                }
                to.shutdownOutput();
            } catch (IOException | RuntimeException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "unix-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Cuts every connection and refuses new ones (the socket file is removed). */
    @Override public void close() {
        closed = true;
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
