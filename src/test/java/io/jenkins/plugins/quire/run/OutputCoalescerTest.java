package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutputCoalescerTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<String> chunks = new ArrayList<>();
    private final OutputCoalescer c = new OutputCoalescer((stderr, data, off, len) -> {
        synchronized (chunks) {
            chunks.add((stderr ? "err:" : "out:") + new String(data, off, len, StandardCharsets.UTF_8));
        }
    }, timer);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyChunkHandedToTheSinkKeepsItsBytesAfterMoreOutput() {
        // the sink keeps the arrays (the job log queues them without a copy): nothing may write to them afterwards
        List<byte[]> kept = new ArrayList<>();
        List<String> atCall = new ArrayList<>();
        OutputCoalescer keeper = new OutputCoalescer((stderr, data, off, len) -> {
            kept.add(data);
            atCall.add(new String(data, off, len, StandardCharsets.UTF_8));
            offs.add(new int[] {off, len});
        }, timer);
        byte[] kib = new byte[1024];
        for (char ch : new char[] {'a', 'b', 'c'}) {
            java.util.Arrays.fill(kib, (byte) ch);
            for (int i = 0; i < 20; i++) keeper.onStdout(kib, 0, kib.length); // 20 KiB gathered: more than DIRECT_BYTES
            keeper.onStderr(b("E"), 0, 1);                                     // the other stream: what is pending goes
        }
        keeper.onStdout(b("small"), 0, 5);
        keeper.onStderr(b("F"), 0, 1);
        keeper.onStdout(b("after"), 0, 5);
        keeper.close();
        assertTrue(kept.size() >= 9, kept.size() + " chunks"); // more when the 10 ms timer flushed in between
        for (int i = 0; i < kept.size(); i++) {
            int[] r = offs.get(i);
            String now = new String(kept.get(i), r[0], r[1], StandardCharsets.UTF_8);
            assertTrue(now.equals(atCall.get(i)), "chunk " + i + " (" + r[1] + " bytes) was written to after it was"
                    + " handed on: it began with '" + atCall.get(i).charAt(0) + "', now with '" + now.charAt(0) + "'");
        }
    }

    private final List<int[]> offs = new ArrayList<>();

    @Test
    void smallChunksOfOneStreamBecomeOneAndStreamsKeepTheirOrder() {
        c.onStdout(b("a"), 0, 1);
        c.onStdout(b("bc"), 0, 2);
        c.onStderr(b("E"), 0, 1);
        c.onStdout(b("d"), 0, 1);
        c.close();
        assertEquals(List.of("out:abc", "err:E", "out:d"), chunks);
    }

    @Test
    void aFullBufferGoesOutAtOnceInPiecesOfAtMost64KiB() {
        byte[] big = new byte[OutputCoalescer.MAX_BYTES * 2 + 10];
        java.util.Arrays.fill(big, (byte) 'x');
        c.onStdout(big, 0, big.length);
        assertEquals(2, chunks.size(), "two full buffers emitted before the end");
        c.close();
        assertEquals(3, chunks.size());
        assertEquals(OutputCoalescer.MAX_BYTES + 4, chunks.get(0).length());
        assertEquals(10 + 4, chunks.get(2).length());
    }

    @Test
    void aLargeChunkWithNothingPendingGoesOutAtOnceAndAfterWhatWasPending() {
        byte[] large = new byte[OutputCoalescer.DIRECT_BYTES];
        java.util.Arrays.fill(large, (byte) 'L');
        c.onStdout(large, 0, large.length);
        assertEquals(1, chunks.size(), "a large chunk should not wait for the timer or the end");
        c.onStdout(b("s"), 0, 1);
        c.onStdout(large, 0, large.length); // something is pending: gathered behind it, order kept
        c.close();
        assertEquals(List.of("out:" + "L".repeat(large.length), "out:s" + "L".repeat(large.length)), chunks);
    }

    @Test
    void pendingOutputStreamsOutWithinTheDelayWithoutMoreInput() throws Exception {
        c.onStdout(b("live"), 0, 4);
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline) {
            synchronized (chunks) {
                if (!chunks.isEmpty()) break;
            }
            Thread.sleep(5);
        }
        synchronized (chunks) {
            assertEquals(List.of("out:live"), chunks);
        }
        c.close();
        assertTrue(chunks.size() == 1, "nothing left to flush");
    }

    @Test
    void takesABufferOnlyForOutputAndGrowsItWithTheOutput() {
        c.close();
        assertEquals(0, c.bufferBytes(), "an sh that printed nothing needs no buffer");
        OutputCoalescer small = new OutputCoalescer((stderr, data, off, len) -> chunks.add(new String(data, off, len,
                StandardCharsets.UTF_8)), timer);
        small.onStdout(b("1\n"), 0, 2);
        assertEquals(OutputCoalescer.FIRST_SIZE, small.bufferBytes());
        byte[] more = new byte[OutputCoalescer.FIRST_SIZE];
        java.util.Arrays.fill(more, (byte) 'm');
        small.onStdout(more, 0, more.length);
        assertEquals(2 * OutputCoalescer.FIRST_SIZE, small.bufferBytes());
        for (int i = 0; i < 40; i++) small.onStdout(more, 0, more.length);
        small.close();
        assertEquals(OutputCoalescer.MAX_BYTES, small.bufferBytes(), "never more than 64 KiB");
        assertEquals(2 + 41L * more.length, chunks.stream().mapToLong(String::length).sum(), "every byte handed on once");
    }
}
