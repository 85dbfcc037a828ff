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
}
