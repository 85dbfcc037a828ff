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
 * warm-up after it never fails anything; the thread is a daemon and ends by itself.
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
    void theRunTakesTheConnectionAndTheWarmUpRunsOnIt() throws Exception {
        Conn c = new Conn();
        AtomicInteger warmed = new AtomicInteger();
        EarlyConnect<Conn> e = new EarlyConnect<>("t", () -> c, x -> { assertSame(c, x); warmed.incrementAndGet(); });
        assertSame(c, e.take());
        ends(e);
        e.close();                                   // the run's finally: a taken connection is the run's own
        assertEquals(0, c.closes.get(), "a taken connection was closed behind the run's back");
        assertEquals(1, warmed.get());
    }

    @Test
    void theConnectsOwnExceptionReachesTheRun() throws Exception {
        IllegalStateException refused = new IllegalStateException("engine refused");
        EarlyConnect<Conn> e = new EarlyConnect<>("t", () -> { throw refused; }, null);
        assertSame(refused, assertThrows(IllegalStateException.class, e::take));
        ends(e);
    }

    @Test
    void aConnectionGivenUpBeforeItArrivesIsClosedOnArrivalWithoutWarmUp() throws Exception {
        Conn c = new Conn();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger warmed = new AtomicInteger();
        EarlyConnect<Conn> e = new EarlyConnect<>("t", () -> {
            try {
                release.await();
            } catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
            return c;
        }, x -> warmed.incrementAndGet());
        e.close();                                   // the pipeline was invalid: compile ended before the connect
        release.countDown();
        ends(e);
        assertEquals(1, c.closes.get());
        assertEquals(0, warmed.get(), "warm-up ran on a connection nobody will use");
        assertThrows(IllegalStateException.class, e::take, "a given-up connection was handed out");
    }

    @Test
    void aConnectionGivenUpAfterItArrivedIsClosedOnce() throws Exception {
        Conn c = new Conn();
        EarlyConnect<Conn> e = new EarlyConnect<>("t", () -> c, null);
        ends(e);
        e.close();
        e.close();
        assertEquals(1, c.closes.get());
    }

    @Test
    void aFailingWarmUpCostsNothingButItsOwnWork() throws Exception {
        Conn c = new Conn();
        EarlyConnect<Conn> e = new EarlyConnect<>("t", () -> c, x -> { throw new IllegalStateException("warm-up broke"); });
        ends(e);
        assertSame(c, e.take());
        assertEquals(0, c.closes.get());
    }
}
