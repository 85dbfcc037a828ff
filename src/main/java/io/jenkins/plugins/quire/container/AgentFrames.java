package io.jenkins.plugins.quire.container;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Why: the exec agent's wire format (docs/exec-agent.md, Framing) in one place: the frames the engine sends, and a
 * decoder that reassembles the agent's frames from chunks of any size (Docker splits and merges the agent's stdout at
 * will). Every limit of the protocol is checked here; a violation is an {@link AgentProtocolException} whose text says
 * what was wrong, never a half-read frame handed on. No I/O.
 */
final class AgentFrames {
    static final byte RUN = 'R';
    static final byte KILL = 'K';
    static final byte QUIT = 'Q';
    static final byte HELLO = 'H';
    static final byte STARTED = 'S';
    static final byte STDOUT = 'O';
    static final byte STDERR = 'E';
    static final byte EXIT = 'X';

    /** type:u8 id:u32 length:u32 */
    static final int HEADER_BYTES = 9;
    /** Longest engine → agent frame payload. */
    static final int MAX_REQUEST_BYTES = 1 << 20;
    /** Longest agent → engine frame payload (output frames; the others are much shorter). */
    static final int MAX_OUTPUT_BYTES = 64 << 10;
    /** Exit flag bit 0: processes the command left behind were killed. */
    static final int FLAG_LEFTOVERS_KILLED = 1;
    /** Exit flag bit 1: the command could not be started (exit 126/127, reason sent as stderr first). */
    static final int FLAG_NOT_STARTED = 2;
    /** Exit flag bit 2: the kernel OOM-killed a process in the container while the request ran. */
    static final int FLAG_OOM_KILL = 4;
    /** Exit flag bit 3: the agent could read the container's OOM kill count, so bit 2 is the whole answer. */
    static final int FLAG_OOM_COUNTED = 8;

    private AgentFrames() { }

    /** One decoded frame; {@code payload} is a fresh array the receiver may keep. */
    record Frame(byte type, int id, byte[] payload) {
        @Override public String toString() {
            return "Frame{" + name(type) + ", id " + Integer.toUnsignedString(id) + ", " + payload.length + " bytes}";
        }
    }

    /** The payload of a hello frame. */
    record Hello(String version, long pid) { }

    /** The payload of an exit frame. */
    record Exit(int exitCode, int signal, int flags) {
        boolean oomKillSeen() {
            return (flags & FLAG_OOM_KILL) != 0;
        }

        boolean oomCounted() {
            return (flags & FLAG_OOM_COUNTED) != 0;
        }

        boolean leftoversKilled() {
            return (flags & FLAG_LEFTOVERS_KILLED) != 0;
        }

        boolean notStarted() {
            return (flags & FLAG_NOT_STARTED) != 0;
        }
    }

    /** A run request: user "uid:gid" (empty = the agent's own), cwd, argv, and the command's whole environment. */
    static byte[] run(int id, String user, String cwd, List<String> argv, List<String> env) throws AgentProtocolException {
        if (argv.isEmpty()) throw new AgentProtocolException("a run request needs at least one argument");
        ByteArrayOutputStream p = new ByteArrayOutputStream(256);
        string(p, user, "user");
        string(p, cwd, "working directory");
        u32(p, argv.size());
        for (String a : argv) string(p, a, "argument");
        u32(p, env.size());
        for (String e : env) string(p, e, "environment entry");
        if (p.size() > MAX_REQUEST_BYTES)
            throw new AgentProtocolException("the command's arguments and environment take " + p.size()
                    + " bytes, more than the exec agent accepts in one request (" + MAX_REQUEST_BYTES + ")");
        return frame(RUN, id, p.toByteArray());
    }

    static byte[] kill(int id, int signal) {
        return frame(KILL, id, new byte[] {(byte) signal});
    }

    static byte[] quit() {
        return frame(QUIT, 0, new byte[0]);
    }

    /** Any frame, as it goes on the wire (also what a test's fake agent writes). */
    static byte[] frame(byte type, int id, byte[] payload) {
        return ByteBuffer.allocate(HEADER_BYTES + payload.length).put(type).putInt(id).putInt(payload.length)
                .put(payload).array();
    }

    static byte[] helloPayload(String version, long pid) {
        byte[] v = version.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + v.length).putInt(v.length).put(v).putInt((int) pid).array();
    }

    static byte[] exitPayload(int exit, int signal, int flags) {
        return ByteBuffer.allocate(6).putInt(exit).put((byte) signal).put((byte) flags).array();
    }

    static Hello hello(Frame f) throws AgentProtocolException {
        ByteBuffer b = ByteBuffer.wrap(f.payload());
        if (b.remaining() < 4) throw malformed(f, "no version length");
        long n = Integer.toUnsignedLong(b.getInt());
        if (n != b.remaining() - 4L) throw malformed(f, "version length " + n + " does not match the payload");
        byte[] v = new byte[(int) n];
        b.get(v);
        return new Hello(new String(v, StandardCharsets.UTF_8), Integer.toUnsignedLong(b.getInt()));
    }

    static long started(Frame f) throws AgentProtocolException {
        if (f.payload().length != 4) throw malformed(f, "expected a 4-byte pid");
        return Integer.toUnsignedLong(ByteBuffer.wrap(f.payload()).getInt());
    }

    static Exit exit(Frame f) throws AgentProtocolException {
        if (f.payload().length != 6) throw malformed(f, "expected exit:i32 signal:u8 flags:u8 (6 bytes)");
        ByteBuffer b = ByteBuffer.wrap(f.payload());
        return new Exit(b.getInt(), b.get() & 0xff, b.get() & 0xff);
    }

    private static AgentProtocolException malformed(Frame f, String what) {
        return new AgentProtocolException("malformed " + name(f.type()) + " frame for request "
                + Integer.toUnsignedString(f.id()) + " (" + f.payload().length + " bytes): " + what);
    }

    static String name(byte type) {
        switch (type) {
            case RUN: return "run (R)";
            case KILL: return "kill (K)";
            case QUIT: return "quit (Q)";
            case HELLO: return "hello (H)";
            case STARTED: return "started (S)";
            case STDOUT: return "stdout (O)";
            case STDERR: return "stderr (E)";
            case EXIT: return "exit (X)";
            default: return String.format("unknown (0x%02X)", type & 0xff);
        }
    }

    private static void string(ByteArrayOutputStream out, String s, String what) throws AgentProtocolException {
        if (s.indexOf('\0') >= 0) throw new AgentProtocolException("the " + what + " contains a NUL character");
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(out, b.length);
        out.write(b, 0, b.length);
    }

    private static void u32(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    /** Receives each decoded frame; may reject it (a frame out of place) with a protocol error. */
    interface Sink {
        void accept(Frame f) throws AgentProtocolException;
    }

    /**
     * Reassembles frames from a byte stream cut anywhere. One per stream; not thread-safe (fed from one reader
     * thread). After a protocol error it refuses further input: the stream is out of step and nothing in it can be
     * trusted.
     */
    static final class Decoder {
        private final boolean fromAgent;
        private final Sink sink;
        private final byte[] header = new byte[HEADER_BYTES];
        private int headerFill;
        private byte type;
        private int id;
        private byte[] payload;
        private int payloadFill;
        private long offset;
        private String failed;

        private Decoder(boolean fromAgent, Sink sink) {
            this.fromAgent = fromAgent;
            this.sink = sink;
        }

        /** Decodes what the agent writes (H, S, O, E, X; at most 64 KiB each). */
        static Decoder fromAgent(Sink sink) {
            return new Decoder(true, sink);
        }

        /** Decodes what the engine writes (R, K, Q; at most 1 MiB each): for a test's fake agent. */
        static Decoder fromEngine(Sink sink) {
            return new Decoder(false, sink);
        }

        void feed(byte[] b, int off, int len) throws AgentProtocolException {
            if (failed != null) throw new AgentProtocolException("the stream already failed: " + failed);
            int end = off + len;
            while (off < end) {
                if (payload == null) {
                    int n = Math.min(HEADER_BYTES - headerFill, end - off);
                    System.arraycopy(b, off, header, headerFill, n);
                    headerFill += n;
                    off += n;
                    if (headerFill < HEADER_BYTES) return;
                    startFrame();
                }
                int n = Math.min(payload.length - payloadFill, end - off);
                System.arraycopy(b, off, payload, payloadFill, n);
                payloadFill += n;
                off += n;
                if (payloadFill == payload.length) {
                    Frame f = new Frame(type, id, payload);
                    offset += HEADER_BYTES + payload.length;
                    payload = null;
                    headerFill = 0;
                    try {
                        sink.accept(f);
                    } catch (AgentProtocolException e) {
                        failed = e.getMessage();
                        throw e;
                    }
                }
            }
        }

        private void startFrame() throws AgentProtocolException {
            ByteBuffer h = ByteBuffer.wrap(header);
            type = h.get();
            id = h.getInt();
            long length = Integer.toUnsignedLong(h.getInt());
            boolean known = fromAgent
                    ? type == HELLO || type == STARTED || type == STDOUT || type == STDERR || type == EXIT
                    : type == RUN || type == KILL || type == QUIT;
            if (!known) fail(String.format("unknown frame type 0x%02X", type & 0xff));
            long max = fromAgent ? MAX_OUTPUT_BYTES : MAX_REQUEST_BYTES;
            if (length > max)
                fail("frame " + name(type) + " for request " + Integer.toUnsignedString(id) + " declares " + length
                        + " bytes, more than the limit of " + max);
            payload = new byte[(int) length];
            payloadFill = 0;
        }

        private void fail(String why) throws AgentProtocolException {
            failed = why + " at byte " + offset + " of the stream";
            throw new AgentProtocolException(failed);
        }

        /** True when a frame has begun but not ended: the stream ending now would truncate it. */
        boolean midFrame() {
            return headerFill > 0;
        }

        /** Where the stream ended, for the message of a truncated frame. */
        String truncation() {
            return payload == null
                    ? "the stream ended inside a frame header (" + headerFill + " of " + HEADER_BYTES + " bytes)"
                    : "the stream ended inside a " + name(type) + " frame (" + payloadFill + " of " + payload.length
                    + " payload bytes)";
        }
    }
}
