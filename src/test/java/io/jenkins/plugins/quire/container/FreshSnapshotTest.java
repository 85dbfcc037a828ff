package io.jenkins.plugins.quire.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class FreshSnapshotTest {
    @Test
    void aCallerNeverGetsAListingThatStartedBeforeItAsked() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        FreshSnapshot<Long> s = new FreshSnapshot<>(() -> {
            fetches.incrementAndGet();
            return System.nanoTime();
        });
        long t1 = System.nanoTime();
        long r1 = s.after(t1);
        assertTrue(r1 >= t1);
        assertEquals(r1, s.after(t1), "a caller whose time the last listing covers shares it");
        long t2 = System.nanoTime();
        long r2 = s.after(t2);
        assertTrue(r2 >= t2, "a later caller gets a fresh listing");
        assertEquals(2, fetches.get());
    }

    @Test
    void callersWaitingTogetherShareOneFetchAndOnlyOneRunsAtATime() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch firstFetchStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FreshSnapshot<Integer> s = new FreshSnapshot<>(() -> {
            int n = fetches.incrementAndGet();
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (n == 1) {
                    firstFetchStarted.countDown();
                    release.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            return n;
        });
        Thread first = new Thread(() -> s.after(System.nanoTime()));
        first.start();
        firstFetchStarted.await(10, TimeUnit.SECONDS);
        // these asked after the first fetch began: it does not cover them, so they share one second fetch
        List<Thread> later = new ArrayList<>();
        List<Integer> got = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            long asked = System.nanoTime();
            Thread t = new Thread(() -> got.add(s.after(asked)));
            later.add(t);
            t.start();
        }
        Thread.sleep(200);
        release.countDown();
        first.join();
        for (Thread t : later) t.join();
        assertEquals(List.of(2, 2, 2, 2, 2, 2, 2, 2), got);
        assertEquals(2, fetches.get());
        assertEquals(1, most.get());
    }
}
