package io.jenkins.plugins.quire.container.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Why: the agent's tests speak its protocol (docs/exec-agent.md) directly, independently of the production client,
 * so that a mistake in either end shows up as a disagreement. A minimal encoder of engine frames and decoder of
 * agent frames; test code only.
 */
final class AgentFrames {
    static final byte RUN = 'R', KILL = 'K', QUIT = 'Q';
    static final byte HELLO = 'H', STARTED = 'S', OUT = 'O', ERR = 'E', EXIT = 'X';
    /** Exit flag bit 3: the agent read the container's OOM kill count (informational; set wherever it can). */
    static final int OOM_COUNTED = 8;

    /** One frame from the agent, with the time (System.nanoTime) it was read. */
    record Frame(byte type, int id, byte[] payload, long nanos) {
        int u32(int at) {
            return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }
    }

    private AgentFrames() { }

    static byte[] frame(byte type, int id, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(9 + payload.length);
        DataOutputStream d = new DataOutputStream(b);
        try {
            d.writeByte(type);
            d.writeInt(id);
            d.writeInt(payload.length);
            d.write(payload);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    static byte[] run(int id, String user, String cwd, List<String> argv, List<String> env) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        try {
            string(d, user);
            string(d, cwd);
            d.writeInt(argv.size());
            for (String a : argv) string(d, a);
            d.writeInt(env.size());
            for (String e : env) string(d, e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return frame(RUN, id, b.toByteArray());
    }

    static byte[] kill(int id, int signal) {
        return frame(KILL, id, new byte[] {(byte) signal});
    }

    static byte[] quit() {
        return frame(QUIT, 0, new byte[0]);
    }

    private static void string(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    /** The next frame, or null at a clean end of the stream (between frames). */
    static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) return null;
        int id = in.readInt();
        int len = in.readInt();
        if (len < 0 || len > 1 << 20) throw new IOException("frame length " + len + " out of range");
        byte[] p = new byte[len];
        in.readFully(p);
        return new Frame((byte) type, id, p, System.nanoTime());
    }

    static String helloVersion(Frame hello) throws EOFException {
        if (hello.type() != HELLO) throw new EOFException("first frame is " + (char) hello.type() + ", not H");
        int n = hello.u32(0);
        return new String(hello.payload(), 4, n, StandardCharsets.UTF_8);
    }

    static int helloPid(Frame hello) {
        return hello.u32(4 + hello.u32(0));
    }
}
