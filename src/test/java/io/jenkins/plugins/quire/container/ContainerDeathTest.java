package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one death record of a run container: first reason wins, listeners hear it once, teardown is no death. */
class ContainerDeathTest {
    @Test
    void theFirstReasonWinsAndEveryListenerHearsItOnce() {
        ContainerDeath d = new ContainerDeath();
        List<String> heard = new ArrayList<>();
        d.onDeath(heard::add);
        assertFalse(d.isDead());
        assertTrue(d.record("container was killed (SIGKILL, exit code 137)"));
        assertFalse(d.record("Docker engine is no longer reachable: gone"));
        d.onDeath(heard::add);                                    // registered after the death: called at once
        assertEquals(List.of("container was killed (SIGKILL, exit code 137)",
                "container was killed (SIGKILL, exit code 137)"), heard);
        assertEquals(Optional.of("container was killed (SIGKILL, exit code 137)"), d.reason());
        assertTrue(d.isDead());
    }

    @Test
    void aDeathSeenBeforeItsReasonIsADeathWithoutAReasonYet() throws Exception {
        ContainerDeath d = new ContainerDeath();
        d.seen();
        assertTrue(d.isDead());
        assertTrue(d.awaitDead(Duration.ZERO));
        assertEquals(Optional.empty(), d.reason());
        assertTrue(d.record("container exited with code 0"));
        assertEquals(Optional.of("container exited with code 0"), d.reason());
    }

    @Test
    void nothingIsRecordedOnceTheTeardownStarted() {
        ContainerDeath d = new ContainerDeath();
        List<String> heard = new ArrayList<>();
        d.onDeath(heard::add);
        d.tearingDown();
        assertFalse(d.record("container was killed (SIGKILL, exit code 137)"));
        assertEquals(Optional.empty(), d.reason());
        assertEquals(List.of(), heard);
        assertTrue(d.isTearingDown());
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheOthers() {
        ContainerDeath d = new ContainerDeath();
        List<String> heard = new ArrayList<>();
        d.onDeath(r -> { throw new IllegalStateException("listener bug"); });
        d.onDeath(heard::add);
        d.record("container was removed");
        assertEquals(List.of("container was removed"), heard);
    }

    @Test
    void awaitReturnsTheReasonRecordedByAnotherThread() throws Exception {
        ContainerDeath d = new ContainerDeath();
        Thread t = new Thread(() -> d.record("container was removed"));
        t.start();
        assertEquals(Optional.of("container was removed"), d.await(Duration.ofSeconds(60)));
        t.join();
    }

    @Test
    void awaitEndsEarlyWhenTheTeardownStartsAndAtItsDeadlineOtherwise() throws Exception {
        ContainerDeath d = new ContainerDeath();
        assertEquals(Optional.empty(), d.await(Duration.ofMillis(20)), "nothing recorded: empty at the deadline");
        CountDownLatch waiting = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                waiting.await();
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                // ends the test either way
            }
            d.tearingDown();
        });
        t.start();
        waiting.countDown();
        long t0 = System.nanoTime();
        assertEquals(Optional.empty(), d.await(Duration.ofMinutes(5)));
        assertTrue(System.nanoTime() - t0 < Duration.ofMinutes(4).toNanos(), "woke up on the teardown, not the deadline");
        t.join();
    }

    /** Several execs and the events stream learn of the death at once: one reason, every listener hears that one. */
    @Test
    void concurrentRecordersAgreeOnOneReason() throws Exception {
        ContainerDeath d = new ContainerDeath();
        List<String> heard = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) d.onDeath(heard::add);
        AtomicInteger winners = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String why = "reason " + i;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException ignored) {
                    return;
                }
                if (d.record(why)) winners.incrementAndGet();
            });
            threads.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : threads) t.join();
        assertEquals(1, winners.get());
        String reason = d.reason().orElseThrow();
        assertEquals(List.of(reason, reason, reason, reason), heard);
    }
}
