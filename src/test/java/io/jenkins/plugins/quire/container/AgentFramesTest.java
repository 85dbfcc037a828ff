package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exec agent's framing (docs/exec-agent.md): reassembly from any chunking, and every limit of the protocol. */
class AgentFramesTest {
    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static byte[] stream() {
        byte[] big = new byte[AgentFrames.MAX_OUTPUT_BYTES];
        new Random(7).nextBytes(big);
        return concat(
                AgentFrames.frame(AgentFrames.HELLO, 0, AgentFrames.helloPayload("1.0", 42)),
                AgentFrames.frame(AgentFrames.STARTED, 1, ByteBuffer.allocate(4).putInt(77).array()),
                AgentFrames.frame(AgentFrames.STDOUT, 1, "héllo\n".getBytes(StandardCharsets.UTF_8)),
                AgentFrames.frame(AgentFrames.STDERR, 2, new byte[0]),
                AgentFrames.frame(AgentFrames.STDOUT, 2, big),
                AgentFrames.frame(AgentFrames.EXIT, 1, AgentFrames.exitPayload(137, 9, 3)));
    }

    private static List<AgentFrames.Frame> decodeInChunks(byte[] data, int[] cuts) throws AgentProtocolException {
        List<AgentFrames.Frame> out = new ArrayList<>();
        AgentFrames.Decoder d = AgentFrames.Decoder.fromAgent(out::add);
        int from = 0;
        for (int c : cuts) {
            d.feed(data, from, c - from);
            from = c;
        }
        d.feed(data, from, data.length - from);
        assertFalse(d.midFrame());
        return out;
    }

    private static void assertWholeStream(List<AgentFrames.Frame> frames) throws AgentProtocolException {
        assertEquals(6, frames.size(), frames.toString());
        AgentFrames.Hello h = AgentFrames.hello(frames.get(0));
        assertEquals("1.0", h.version());
        assertEquals(42, h.pid());
        assertEquals(77, AgentFrames.started(frames.get(1)));
        assertEquals(AgentFrames.STDOUT, frames.get(2).type());
        assertEquals("héllo\n", new String(frames.get(2).payload(), StandardCharsets.UTF_8));
        assertEquals(0, frames.get(3).payload().length);
        assertEquals(2, frames.get(4).id());
        byte[] big = new byte[AgentFrames.MAX_OUTPUT_BYTES];
        new Random(7).nextBytes(big);
        assertArrayEquals(big, frames.get(4).payload());
        AgentFrames.Exit x = AgentFrames.exit(frames.get(5));
        assertEquals(137, x.exitCode());
        assertEquals(9, x.signal());
        assertTrue(x.leftoversKilled());
        assertTrue(x.notStarted());
    }

    @Test
    void framesMergedIntoOneChunkAreAllDecoded() throws Exception {
        assertWholeStream(decodeInChunks(stream(), new int[0]));
    }

    @Test
    void framesSplitAtEveryByteAreReassembled() throws Exception {
        byte[] s = stream();
        int[] cuts = new int[s.length - 1];
        for (int i = 0; i < cuts.length; i++) cuts[i] = i + 1;
        assertWholeStream(decodeInChunks(s, cuts));
    }

    @Test
    void framesCutAtRandomPlacesAreReassembled() throws Exception {
        byte[] s = stream();
        Random r = new Random(11);
        for (int round = 0; round < 50; round++) {
            int[] cuts = r.ints(1 + r.nextInt(40), 0, s.length + 1).sorted().toArray();
            assertWholeStream(decodeInChunks(s, cuts));
        }
    }

    @Test
    void outputFrameLongerThan64KiBIsAProtocolError() {
        byte[] header = ByteBuffer.allocate(9).put(AgentFrames.STDOUT).putInt(3).putInt(AgentFrames.MAX_OUTPUT_BYTES + 1).array();
        AgentFrames.Decoder d = AgentFrames.Decoder.fromAgent(f -> { throw new AssertionError("no frame expected"); });
        AgentProtocolException e = assertThrows(AgentProtocolException.class, () -> d.feed(header, 0, header.length));
        assertTrue(e.getMessage().contains("declares 65537 bytes, more than the limit of 65536"), e.getMessage());
        // the stream is out of step: nothing more is accepted
        assertThrows(AgentProtocolException.class, () -> d.feed(new byte[1], 0, 1));
    }

    @Test
    void negativeLookingLengthIsTooLongNotNegative() {
        byte[] header = ByteBuffer.allocate(9).put(AgentFrames.STDERR).putInt(1).putInt(-1).array();
        AgentFrames.Decoder d = AgentFrames.Decoder.fromAgent(f -> { });
        AgentProtocolException e = assertThrows(AgentProtocolException.class, () -> d.feed(header, 0, header.length));
        assertTrue(e.getMessage().contains("4294967295 bytes"), e.getMessage());
    }

    @Test
    void unknownTypeIsAProtocolErrorNamingTheByteAndOffset() {
        byte[] s = concat(AgentFrames.frame(AgentFrames.HELLO, 0, AgentFrames.helloPayload("x", 1)),
                AgentFrames.frame((byte) 0x7A, 5, new byte[3]));
        List<AgentFrames.Frame> got = new ArrayList<>();
        AgentFrames.Decoder d = AgentFrames.Decoder.fromAgent(got::add);
        AgentProtocolException e = assertThrows(AgentProtocolException.class, () -> d.feed(s, 0, s.length));
        assertEquals(1, got.size());
        int helloBytes = 9 + 8 + 1;
        assertEquals("unknown frame type 0x7A at byte " + helloBytes + " of the stream", e.getMessage());
    }

    @Test
    void engineFrameTypesAreUnknownComingFromTheAgentAndViceVersa() {
        byte[] run = AgentFrames.quit();
        assertThrows(AgentProtocolException.class, () -> AgentFrames.Decoder.fromAgent(f -> { }).feed(run, 0, run.length));
        byte[] out = AgentFrames.frame(AgentFrames.STDOUT, 1, new byte[1]);
        assertThrows(AgentProtocolException.class, () -> AgentFrames.Decoder.fromEngine(f -> { }).feed(out, 0, out.length));
    }

    @Test
    void truncatedFrameIsReportedWithWhereItStopped() throws Exception {
        byte[] f = AgentFrames.frame(AgentFrames.STDOUT, 1, new byte[10]);
        AgentFrames.Decoder d = AgentFrames.Decoder.fromAgent(x -> { });
        d.feed(f, 0, 15);
        assertTrue(d.midFrame());
        assertEquals("the stream ended inside a stdout (O) frame (6 of 10 payload bytes)", d.truncation());
        AgentFrames.Decoder h = AgentFrames.Decoder.fromAgent(x -> { });
        h.feed(f, 0, 4);
        assertEquals("the stream ended inside a frame header (4 of 9 bytes)", h.truncation());
    }

    @Test
    void malformedFixedPayloadsAreRejected() {
        AgentFrames.Frame shortExit = new AgentFrames.Frame(AgentFrames.EXIT, 4, new byte[5]);
        AgentProtocolException e = assertThrows(AgentProtocolException.class, () -> AgentFrames.exit(shortExit));
        assertTrue(e.getMessage().startsWith("malformed exit (X) frame for request 4 (5 bytes)"), e.getMessage());
        assertThrows(AgentProtocolException.class, () -> AgentFrames.started(new AgentFrames.Frame(AgentFrames.STARTED, 1, new byte[3])));
        byte[] badHello = ByteBuffer.allocate(8).putInt(100).putInt(1).array();
        assertThrows(AgentProtocolException.class, () -> AgentFrames.hello(new AgentFrames.Frame(AgentFrames.HELLO, 0, badHello)));
    }

    @Test
    void runRequestRoundTripsThroughTheEngineDecoder() throws Exception {
        byte[] wire = AgentFrames.run(9, "1000:1000", "/work/ü", List.of("sh", "-c", "echo hi"), List.of("A=1", "PATH=/bin"));
        List<AgentFrames.Frame> got = new ArrayList<>();
        AgentFrames.Decoder.fromEngine(got::add).feed(wire, 0, wire.length);
        assertEquals(1, got.size());
        ByteBuffer p = ByteBuffer.wrap(got.get(0).payload());
        assertEquals(9, got.get(0).id());
        assertEquals("1000:1000", str(p));
        assertEquals("/work/ü", str(p));
        assertEquals(3, p.getInt());
        assertEquals(List.of("sh", "-c", "echo hi"), List.of(str(p), str(p), str(p)));
        assertEquals(2, p.getInt());
        assertEquals(List.of("A=1", "PATH=/bin"), List.of(str(p), str(p)));
        assertFalse(p.hasRemaining());
        assertArrayEquals(new byte[] {'K', 0, 0, 0, 9, 0, 0, 0, 1, 9}, AgentFrames.kill(9, 9));
    }

    @Test
    void requestOverOneMiBIsRefusedBeforeSending() {
        char[] c = new char[100_000];
        Arrays.fill(c, 'v');
        List<String> env = new ArrayList<>();
        for (int i = 0; i < 11; i++) env.add("V" + i + "=" + new String(c));
        AgentProtocolException e = assertThrows(AgentProtocolException.class,
                () -> AgentFrames.run(1, "", "/work", List.of("true"), env));
        assertTrue(e.getMessage().contains("more than the exec agent accepts in one request (1048576)"), e.getMessage());
    }

    private static String str(ByteBuffer p) {
        byte[] b = new byte[p.getInt()];
        p.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
