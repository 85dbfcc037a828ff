package io.jenkins.plugins.quire.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Docker's multiplexed stream read by {@link MuxReader}, from streams cut into reads of every size. */
class MuxReaderTest {
    /** One frame as Docker writes it. */
    private static byte[] frame(int type, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length).put((byte) type).put(new byte[3]).putInt(payload.length)
                .put(payload).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** An input stream that returns at most the next of {@code cuts} bytes per read (cycling), like a socket. */
    private static final class Chunked extends InputStream {
        private final byte[] data;
        private final int[] cuts;
        private int at;
        private int n;
        int reads;

        Chunked(byte[] data, int... cuts) {
            this.data = data;
            this.cuts = cuts;
        }

        @Override public int read() {
            throw new AssertionError("the reader must not read byte by byte");
        }

        @Override public int read(byte[] b, int off, int len) {
            if (at == data.length) return -1;
            reads++;
            int k = Math.min(Math.min(len, cuts[n++ % cuts.length]), data.length - at);
            System.arraycopy(data, at, b, off, k);
            at += k;
            return k;
        }
    }

    /** What the sink saw: one entry per call, the bytes copied. */
    private static final class Seen implements MuxReader.Sink {
        final List<String> streams = new ArrayList<>();
        final List<byte[]> pieces = new ArrayList<>();

        @Override public void output(boolean stderr, byte[] b, int off, int len) {
            streams.add(stderr ? "err" : "out");
            pieces.add(Arrays.copyOfRange(b, off, off + len));
        }

        byte[] all(String stream) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            for (int i = 0; i < pieces.size(); i++) if (streams.get(i).equals(stream)) o.writeBytes(pieces.get(i));
            return o.toByteArray();
        }
    }

    private static Seen read(byte[] stream, int... cuts) throws IOException {
        Seen s = new Seen();
        new MuxReader(new Chunked(stream, cuts), s).readAll();
        return s;
    }

    @Test
    void eachFrameIsHandedOnWholeWhateverTheReadsCutIt() throws IOException {
        byte[] a = bytes(1000, 1);
        byte[] b = bytes(32 * 1024, 2);
        byte[] c = bytes(5, 3);
        byte[] stream = concat(frame(1, a), frame(2, b), frame(1, c));
        for (int cut : new int[] {1, 3, 7, 8, 9, 1024, 4096, 1 << 20}) {
            Seen s = read(stream, cut);
            assertEquals(List.of("out", "err", "out"), s.streams, "reads of " + cut);
            assertArrayEquals(a, s.pieces.get(0));
            assertArrayEquals(b, s.pieces.get(1));
            assertArrayEquals(c, s.pieces.get(2));
        }
    }

    @Test
    void manyFramesAreReadWithFewReads() throws IOException {
        // 200 frames of 16 KiB (3.2 MB) arriving in socket-sized reads: one read call per buffer, not per frame
        byte[][] frames = new byte[200][];
        for (int i = 0; i < frames.length; i++) frames[i] = frame(1, bytes(16 * 1024, i));
        Chunked in = new Chunked(concat(frames), 1 << 20);
        Seen s = new Seen();
        new MuxReader(in, s).readAll();
        assertEquals(200, s.pieces.size());
        assertTrue(in.reads < 60, in.reads + " reads");
    }

    /**
     * The gather pause comes before a read that follows a short one (the stream is not backed up), never after a
     * long one, and the data read before it has been handed on already (the pause delays no read data).
     */
    @Test
    void theGatherPauseFollowsOnlyShortReads() throws IOException {
        byte[] small = bytes(100, 4);
        byte[] big = bytes(MuxReader.GATHER_BELOW, 5);
        byte[] stream = concat(frame(1, small), frame(2, big), frame(1, small));
        // reads: the first frame (short), the second (long: 8 + 32 KiB), the third (short), then the end
        Chunked in = new Chunked(stream, 8 + small.length, 8 + big.length, 8 + small.length);
        Seen s = new Seen();
        List<String> pauses = new ArrayList<>();
        new MuxReader(in, s, () -> pauses.add(in.reads + " reads, " + s.pieces.size() + " pieces")).readAll();
        assertEquals(List.of("1 reads, 1 pieces", "3 reads, 3 pieces"), pauses);
        assertArrayEquals(big, s.all("err"));
    }

    @Test
    void headersSplitAcrossReadsAreJoined() throws IOException {
        byte[] p = "hello\n".getBytes(StandardCharsets.UTF_8);
        Seen s = read(concat(frame(1, p), frame(2, p)), 2, 5, 1, 6);
        assertEquals(List.of("out", "err"), s.streams);
        assertArrayEquals(p, s.all("out"));
        assertArrayEquals(p, s.all("err"));
    }

    @Test
    void zeroLengthFramesAreSkipped() throws IOException {
        byte[] p = "x".getBytes(StandardCharsets.UTF_8);
        Seen s = read(concat(frame(1, new byte[0]), frame(2, new byte[0]), frame(1, p), frame(1, new byte[0])), 3);
        assertEquals(List.of("out"), s.streams);
        assertArrayEquals(p, s.pieces.get(0));
    }

    @Test
    void aFrameLargerThanABufferGoesOnInPiecesOfAtMostTheLimit() throws IOException {
        byte[] big = bytes(MuxReader.BUFFER * 3 + 17, 4);
        Seen s = read(concat(frame(2, big), frame(1, new byte[] {'z'})), 10_000);
        assertArrayEquals(big, s.all("err"));
        assertArrayEquals(new byte[] {'z'}, s.all("out"));
        long errPieces = s.streams.stream().filter("err"::equals).count();
        assertEquals((big.length + MuxReader.MAX_PIECE - 1) / MuxReader.MAX_PIECE, errPieces);
        for (byte[] piece : s.pieces) assertTrue(piece.length <= MuxReader.MAX_PIECE, piece.length + " bytes");
    }

    @Test
    void stdinTypedFramesCountAsStdoutAsInDockersOwnDemultiplexer() throws IOException {
        Seen s = read(frame(0, new byte[] {'a'}), 100);
        assertEquals(List.of("out"), s.streams);
    }

    @Test
    void aStreamEndingInsideAHeaderIsAClearError() {
        byte[] stream = concat(frame(1, new byte[] {'a', 'b'}), Arrays.copyOf(frame(1, new byte[4]), 5));
        MuxReader.MuxStreamException e = assertThrows(MuxReader.MuxStreamException.class, () -> read(stream, 4));
        assertEquals("the Docker stream ended inside a frame header (5 of 8 bytes) at byte 10", e.getMessage());
    }

    @Test
    void aStreamEndingInsideAPayloadIsAClearError() {
        byte[] whole = frame(2, bytes(100, 5));
        byte[] stream = Arrays.copyOf(whole, 8 + 40);
        MuxReader.MuxStreamException e = assertThrows(MuxReader.MuxStreamException.class, () -> read(stream, 7));
        assertEquals("the Docker stream ended inside a stderr frame (40 of 100 payload bytes) at byte 48", e.getMessage());
    }

    @Test
    void anUnknownStreamTypeIsAClearErrorNotOutput() {
        byte[] stream = concat(frame(1, new byte[] {'a'}), frame(7, new byte[] {'b'}));
        Seen s = new Seen();
        MuxReader.MuxStreamException e = assertThrows(MuxReader.MuxStreamException.class,
                () -> new MuxReader(new Chunked(stream, 64), s).readAll());
        assertEquals("the Docker stream holds an unknown stream type 0x07 at byte 9 (not a multiplexed stream)",
                e.getMessage());
        assertEquals(1, s.pieces.size());
    }

    @Test
    void dockersErrorFrameBecomesTheMessage() {
        byte[] stream = frame(3, "exec failed: no such file\n".getBytes(StandardCharsets.UTF_8));
        MuxReader.MuxStreamException e = assertThrows(MuxReader.MuxStreamException.class, () -> read(stream, 3));
        assertEquals("Docker reported an error in the stream: exec failed: no such file", e.getMessage());
    }

    @Test
    void randomFramesAndRandomReadsMatchAReferenceDecoder() throws IOException {
        Random r = new Random(42);
        for (int round = 0; round < 40; round++) {
            int n = 1 + r.nextInt(60);
            byte[][] frames = new byte[n][];
            ByteArrayOutputStream wantOut = new ByteArrayOutputStream();
            ByteArrayOutputStream wantErr = new ByteArrayOutputStream();
            List<String> wantOrder = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int size = switch (r.nextInt(5)) {
                    case 0 -> 0;
                    case 1 -> 1 + r.nextInt(16);
                    case 2 -> r.nextInt(2048);
                    case 3 -> r.nextInt(40_000);
                    default -> r.nextInt(3 * MuxReader.MAX_PIECE);
                };
                boolean err = r.nextBoolean();
                byte[] p = bytes(size, r.nextInt());
                frames[i] = frame(err ? 2 : 1, p);
                (err ? wantErr : wantOut).writeBytes(p);
                for (int k = 0; k < (size + MuxReader.MAX_PIECE - 1) / MuxReader.MAX_PIECE; k++) wantOrder.add(err ? "err" : "out");
            }
            byte[] stream = concat(frames);
            int[] cuts = new int[1 + r.nextInt(8)];
            for (int i = 0; i < cuts.length; i++) cuts[i] = 1 + r.nextInt(r.nextBoolean() ? 16 : 200_000);
            Seen s = new Seen();
            new MuxReader(new Chunked(stream, cuts), s, MuxReader.MAX_PIECE + r.nextInt(MuxReader.BUFFER), null).readAll();
            Seen ref = reference(stream);
            assertArrayEquals(wantOut.toByteArray(), s.all("out"), "round " + round);
            assertArrayEquals(wantErr.toByteArray(), s.all("err"), "round " + round);
            assertArrayEquals(ref.all("out"), s.all("out"), "round " + round);
            assertEquals(wantOrder, s.streams, "round " + round);
        }
    }

    /** The plainest decoder: header, then the payload byte by byte. */
    private static Seen reference(byte[] stream) {
        Seen s = new Seen();
        ByteBuffer b = ByteBuffer.wrap(stream);
        while (b.hasRemaining()) {
            int type = b.get();
            b.position(b.position() + 3);
            byte[] p = new byte[b.getInt()];
            b.get(p);
            if (p.length > 0) s.output(type == 2, p, 0, p.length);
        }
        return s;
    }
}
