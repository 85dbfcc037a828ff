package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTailTest {
    private static void add(OutputTail t, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        t.append(b, 0, b.length);
    }

    @Test
    void keepsEverythingBelowCapacity() {
        OutputTail t = new OutputTail(16);
        add(t, "hello ");
        add(t, "world");
        assertEquals("hello world", t.text());
        assertFalse(t.truncated());
        assertEquals(11, t.totalBytes());
    }

    @Test
    void keepsTheLastBytesAndSaysHowManyWereDropped() {
        OutputTail t = new OutputTail(8);
        add(t, "0123456789");
        add(t, "abc");
        assertTrue(t.truncated());
        assertEquals("[quire: 5 earlier bytes not kept here; the job log has them all]\n789abc".replace("789abc",
                "56789abc"), t.text());
        OutputTail big = new OutputTail(4);
        add(big, "xy");
        add(big, "0123456789");
        assertEquals("[quire: 8 earlier bytes not kept here; the job log has them all]\n6789", big.text());
    }

    @Test
    void doesNotStartInsideAMultiByteCharacter() {
        OutputTail t = new OutputTail(5);
        add(t, "aé€x"); // a(1) é(2) €(3) x(1) = 7 bytes; the last 5 start inside é
        assertEquals("[quire: 3 earlier bytes not kept here; the job log has them all]\n€x", t.text());
    }

    @Test
    void aSmallOutputTakesASmallBufferNotTheCapacity() {
        OutputTail t = new OutputTail(OutputTail.DEFAULT_CAPACITY);
        assertEquals(0, t.retainedBytes(), "nothing printed, nothing held");
        add(t, "hello\n");
        assertEquals(OutputTail.FIRST_SIZE, t.retainedBytes());
        byte[] k = new byte[3000];
        t.append(k, 0, k.length);
        assertTrue(t.retainedBytes() >= 3006 && t.retainedBytes() <= 8192, "grows by doubling: " + t.retainedBytes());
        byte[] m = new byte[OutputTail.DEFAULT_CAPACITY];
        t.append(m, 0, m.length);
        assertEquals(OutputTail.DEFAULT_CAPACITY, t.retainedBytes(), "never more than the capacity");
    }

    /** Any sequence of appends keeps exactly the last {@code capacity} bytes, across the growth and the wrap. */
    @Test
    void keepsTheSameTailAsAPlainCopyWhateverTheChunkSizes() {
        java.util.Random rnd = new java.util.Random(42);
        for (int round = 0; round < 300; round++) {
            int capacity = 1 + rnd.nextInt(round < 150 ? 64 : 5000);
            OutputTail t = new OutputTail(capacity);
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            int appends = rnd.nextInt(12);
            for (int i = 0; i < appends; i++) {
                byte[] b = new byte[rnd.nextInt(capacity * 2 + 2)];
                for (int j = 0; j < b.length; j++) b[j] = (byte) ('a' + rnd.nextInt(26));
                int off = b.length == 0 ? 0 : rnd.nextInt(b.length);
                int len = b.length - off;
                t.append(b, off, len);
                all.write(b, off, len);
            }
            byte[] every = all.toByteArray();
            String expected = every.length <= capacity ? new String(every, StandardCharsets.US_ASCII)
                    : "[quire: " + (every.length - capacity) + " earlier bytes not kept here; the job log has them all]\n"
                    + new String(every, every.length - capacity, capacity, StandardCharsets.US_ASCII);
            assertEquals(expected, t.text(), "capacity " + capacity + ", round " + round);
            assertEquals(every.length, t.totalBytes());
            assertEquals(every.length > capacity, t.truncated());
            assertTrue(t.retainedBytes() <= capacity);
        }
    }
}
