package io.jenkins.plugins.quire.run;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's connection made while the pipeline compiles (EarlyConnect): the run gets the connection or the
 * connect's own exception; a connection nobody took is closed, also when it arrives after it was given up; the
 * thread is a daemon and ends by itself.
 */
class EarlyConnectTest {
    /** A connection that counts how often it was closed. */
    static final class Conn implements AutoCloseable {
        final AtomicInteger closes = new AtomicInteger();

        @Override public void close() {
            closes.incrementAndGet();
        }
    }

    private static void ends(EarlyConnect<?> e) throws InterruptedException {
        assertTrue(e.thread().isDaemon(), "the connect thread must never keep a JVM alive");
        e.thread().join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(e.thread().isAlive(), "the connect thread did not end");
    }

    @Test
    void theRunTakesTheConnection() throws Exception {
        Conn c = new Conn();
        EarlyConnect<Conn> e = new EarlyConnect<>("t", () -> c);
        assertSame(c, e.take());
        ends(e);
        e.close();                                   // the run's finally: a taken connection is the run's own
        assertEquals(0, c.closes.get(), "a taken connection was closed behind the run's back");
    }

    @Test
    void theConnectsOwnExceptionReachesTheRun() throws Exception {
        IllegalStateException refused = new IllegalStateException("engine refused");
        EarlyConnect<Conn> e = new EarlyConnect<>("t", () -> { throw refused; });
        assertSame(refused, assertThrows(IllegalStateException.class, e::take));
        ends(e);
    }

    @Test
    void aConnectionGivenUpBeforeItArrivesIsClosedOnArrival() throws Exception {
        Conn c = new Conn();
        CountDownLatch release = new CountDownLatch(1);
        EarlyConnect<Conn> e = new EarlyConnect<>("t", () -> {
            try {
                release.await();
            } catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
            return c;
        });
        e.close();                                   // the pipeline was invalid: compile ended before the connect
        release.countDown();
        ends(e);
        assertEquals(1, c.closes.get());
        assertThrows(IllegalStateException.class, e::take, "a given-up connection was handed out");
    }

    @Test
    void aConnectionGivenUpAfterItArrivedIsClosedOnce() throws Exception {
        Conn c = new Conn();
        EarlyConnect<Conn> e = new EarlyConnect<>("t", () -> c);
        ends(e);
        e.close();
        e.close();
        assertEquals(1, c.closes.get());
    }
}
