package io.jenkins.plugins.quire.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The writer thread's hand-over: what a waiting caller waits for, and the order tasks run in. */
class LogWriterTest {
    /** An sh waits for its sh-exit, which flushes its own file; the idle flush of the other files is not its wait. */
    @Test
    void aWaitingCallerIsReleasedBeforeTheIdleFlushRuns() throws Exception {
        CountDownLatch idleEntered = new CountDownLatch(1);
        CountDownLatch idleMayEnd = new CountDownLatch(1);
        LogWriter w = new LogWriter("test-writer", 1024, () -> {
            idleEntered.countDown();
            try {
                idleMayEnd.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<String> ran = new ArrayList<>();
        Thread caller = new Thread(() -> w.call(() -> ran.add("task")));
        caller.start();
        assertTrue(idleEntered.await(20, TimeUnit.SECONDS), "the queue emptied, so the idle flush ran");
        caller.join(10_000);
        boolean released = !caller.isAlive();
        idleMayEnd.countDown();
        caller.join();
        assertTrue(released, "call() returned only after the idle flush, which it does not need");
        assertEquals(List.of("task"), ran);
        assertTrue(w.close(() -> ran.add("last")));
        assertEquals(List.of("task", "last"), ran);
    }

    @Test
    void aFailureOfTheTaskIsThrownToItsCaller() {
        LogWriter w = new LogWriter("test-writer", 1024, () -> { });
        IllegalStateException boom = new IllegalStateException("disk full");
        IllegalStateException seen = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> w.call(() -> {
                    throw boom;
                }));
        assertEquals(boom, seen);
        w.close(() -> { });
    }
}
