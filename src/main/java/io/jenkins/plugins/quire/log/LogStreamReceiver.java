package io.jenkins.plugins.quire.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why: the controller's end of {@link StreamedLogStore}. It is the stream the agent writes to (through a remoting
 * stream), decodes the {@link LogFrames} as they arrive (in pieces of any size) and writes the files into a logs
 * folder of its own ({@link LogsFolder}, outside any workspace), so the build's {@code quire/} artifacts grow live
 * while the run goes on elsewhere. When the sender is gone without its end frame (the agent's connection dropped),
 * {@link #finish} closes every file and appends a {@code run-end} with the reason, so the logs stay readable.
 */
public final class LogStreamReceiver extends OutputStream {
    private final LogsFolder folder;
    private final long startNanos = System.nanoTime();
    private final Map<String, SeekableByteChannel> files = new LinkedHashMap<>();
    private byte[] buf = new byte[64 * 1024];
    private int len;
    private boolean ended;
    private boolean closed;
    private boolean runEndSeen;
    private boolean senderClosed;

    private LogStreamReceiver(LogsFolder folder) {
        this.folder = folder;
    }

    /** Makes {@code logsDir} a fresh logs folder (a previous run's files removed) and receives into it. */
    public static LogStreamReceiver open(Path logsDir) throws IOException {
        return new LogStreamReceiver(LogsFolder.prepare(logsDir, null, List.of()));
    }

    public Path directory() {
        return folder.directory();
    }

    /** Whether the sender closed its logs normally (its end frame arrived). */
    public synchronized boolean ended() {
        return ended;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int n) throws IOException {
        if (closed) throw new IOException("the logs in " + folder.directory() + " are closed");
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        System.arraycopy(b, off, buf, len, n);
        len += n;
        int p = 0;
        while (true) {
            int frameEnd = frameEnd(p);
            if (frameEnd < 0) break;
            apply(p);
            p = frameEnd;
        }
        if (p > 0) {
            System.arraycopy(buf, p, buf, 0, len - p);
            len -= p;
        }
    }

    /** The end of the frame starting at {@code p}, or -1 when it has not fully arrived. */
    private int frameEnd(int p) throws IOException {
        if (len - p < LogFrames.HEADER) return -1;
        int keyLen = ((buf[p + 1] & 0xff) << 8) | (buf[p + 2] & 0xff);
        int lenAt = p + LogFrames.HEADER + keyLen;
        if (len < lenAt + 4) return -1;
        int payload = readInt(lenAt);
        if (payload < 0 || payload > LogFrames.MAX_PAYLOAD) throw new IOException("corrupt log stream: payload " + payload);
        return len < lenAt + 4 + payload ? -1 : lenAt + 4 + payload;
    }

    private int readInt(int at) {
        return ((buf[at] & 0xff) << 24) | ((buf[at + 1] & 0xff) << 16) | ((buf[at + 2] & 0xff) << 8) | (buf[at + 3] & 0xff);
    }

    private void apply(int p) throws IOException {
        byte op = buf[p];
        int keyLen = ((buf[p + 1] & 0xff) << 8) | (buf[p + 2] & 0xff);
        String key = new String(buf, p + LogFrames.HEADER, keyLen, StandardCharsets.UTF_8);
        int at = p + LogFrames.HEADER + keyLen;
        int n = readInt(at);
        int data = at + 4;
        if (!key.isEmpty()) LogPaths.checkJobId(key);
        switch (op) {
            case LogFrames.DECLARE:
                String ids = new String(buf, data, n, StandardCharsets.UTF_8);
                if (!ids.isEmpty()) folder.declare(List.of(ids.split("\n")));
                break;
            case LogFrames.OPEN:
                SeekableByteChannel old = files.remove(key);
                if (old != null) old.close();
                boolean create = n > 0 && buf[data] == 1;
                files.put(key, key.isEmpty() ? folder.openRunFile(create) : folder.openJobFile(key, create));
                break;
            case LogFrames.WRITE:
                SeekableByteChannel ch = files.get(key);
                if (ch == null) throw new IOException("corrupt log stream: a write to a file not opened: '" + key + "'");
                ByteBuffer bb = ByteBuffer.wrap(buf, data, n);
                while (bb.hasRemaining()) ch.write(bb);
                if (key.isEmpty() && containsRunEnd(data, n)) runEndSeen = true;
                break;
            case LogFrames.CLOSE:
                SeekableByteChannel c = files.remove(key);
                if (c != null) c.close();
                break;
            case LogFrames.END:
                ended = true;
                break;
            default:
                throw new IOException("corrupt log stream: unknown frame '" + (char) op + "'");
        }
    }

    private boolean containsRunEnd(int from, int n) {
        return new String(buf, from, n, StandardCharsets.UTF_8).contains("\"kind\":\"run-end\"");
    }

    /** The sender closed its stream (the owner still calls {@link #finish}); wakes {@link #awaitSenderClosed}. */
    @Override
    public synchronized void close() {
        senderClosed = true;
        notifyAll();
    }

    /**
     * Waits until the sender has closed its stream, at most {@code millis}: a remoting stream's last bytes may
     * still be on their way when the call that wrote them has returned. False when it did not close in time.
     */
    public synchronized boolean awaitSenderClosed(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!senderClosed) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    /**
     * Closes every file and the folder. When the run log got no {@code run-end} (the sender stopped early), one is
     * appended with {@code status} and {@code reason} first. Idempotent.
     */
    public synchronized void finish(RunStatus status, String reason) throws IOException {
        if (closed) return;
        closed = true;
        IOException first = null;
        try {
            if (!runEndSeen) {
                SeekableByteChannel run = files.get("");
                if (run == null) {
                    run = folder.openRunFile(!Files.exists(LogPaths.runFile(folder.directory())));
                    files.put("", run);
                }
                ByteBuf line = new ByteBuf(1024);
                EventCodec.encode(new LogEvent.RunEnd(Timestamps.now(java.time.Clock.systemUTC()), status,
                        (System.nanoTime() - startNanos) / 1_000_000, reason), line);
                ByteBuffer bb = ByteBuffer.wrap(line.array(), 0, line.size());
                while (bb.hasRemaining()) run.write(bb);
            }
        } catch (IOException e) {
            first = e;
        }
        for (SeekableByteChannel c : files.values()) {
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        files.clear();
        try {
            folder.close();
        } catch (IOException e) {
            if (first == null) first = e;
        }
        if (first != null) throw first;
    }
}
