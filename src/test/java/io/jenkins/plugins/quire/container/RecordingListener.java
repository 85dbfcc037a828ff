package io.jenkins.plugins.quire.container;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Why: tests need each exec's output per stream, plus the arrival order and time of every chunk. */
final class RecordingListener implements ExecListener {
    /** One chunk as it arrived. */
    static final class Chunk {
        final boolean stderr;
        final byte[] data;
        final long nanos;

        Chunk(boolean stderr, byte[] data, long nanos) {
            this.stderr = stderr;
            this.data = data;
            this.nanos = nanos;
        }

        @Override public String toString() {
            return (stderr ? "err:" : "out:") + new String(data, StandardCharsets.UTF_8);
        }
    }

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final List<Chunk> chunks = new ArrayList<>();

    @Override public synchronized void onStdout(byte[] data, int off, int len) {
        out.write(data, off, len);
        chunks.add(new Chunk(false, java.util.Arrays.copyOfRange(data, off, off + len), System.nanoTime()));
    }

    @Override public synchronized void onStderr(byte[] data, int off, int len) {
        err.write(data, off, len);
        chunks.add(new Chunk(true, java.util.Arrays.copyOfRange(data, off, off + len), System.nanoTime()));
    }

    synchronized String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    synchronized String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    synchronized byte[] stdoutBytes() {
        return out.toByteArray();
    }

    /** Chunks re-split into lines tagged out:/err:, in arrival order (a chunk may hold several lines). */
    synchronized List<String> taggedLines() {
        List<String> lines = new ArrayList<>();
        for (Chunk c : chunks) {
            for (String l : new String(c.data, StandardCharsets.UTF_8).split("\n")) {
                if (!l.isEmpty()) lines.add((c.stderr ? "err:" : "out:") + l);
            }
        }
        return lines;
    }
}
