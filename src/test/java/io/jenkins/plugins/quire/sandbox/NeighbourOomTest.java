package io.jenkins.plugins.quire.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.quire.sandbox.SandboxRunner.Outcome;

/**
 * A script allocating strings in a loop while ordinary scripts run next to it: the attacker must
 * be stopped by its own budget (memory or instructions) as a script error, never by a JVM
 * OutOfMemoryError, and the neighbours must be unaffected.
 */
class NeighbourOomTest {

    private static final String ATTACKER = "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(1e6) .. i end";
    private static final String VICTIM = "local t = {} for i = 1, 2000 do t[i] = ('v'):rep(10) .. i end\n"
            + "local n = 0 for _, s in ipairs(t) do n = n + #s end return n";

    @Test
    void attackerIsStoppedByItsBudgetAndVictimsAreUnaffected() throws Exception {
        Runtime rt = Runtime.getRuntime();
        // Stay well inside this JVM's heap whatever -Xmx the build uses, so a failure would be ours.
        long budget = Math.min(512L << 20, rt.maxMemory() / 4);
        SandboxLimits attackerLimits = SandboxLimits.DEFAULTS.withMaxAllocBytes(budget).withCpuTimeMillis(60_000);
        String expected = SandboxRunner.run(VICTIM).value();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        CountDownLatch start = new CountDownLatch(1);
        try {
            Future<Outcome> attacker = pool.submit(() -> {
                start.await();
                return SandboxRunner.run(ATTACKER, attackerLimits);
            });
            List<Future<List<Outcome>>> victims = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                victims.add(pool.submit(() -> {
                    start.await();
                    List<Outcome> out = new ArrayList<>();
                    for (int r = 0; r < 6; r++) out.add(SandboxRunner.run(VICTIM));
                    return out;
                }));
            }
            start.countDown();
            Outcome a = attacker.get(120, TimeUnit.SECONDS);
            assertEquals("limit", a.status(), a.toString());
            assertTrue(a.error().contains("memory limit exceeded") || a.error().contains("instruction limit exceeded"), a.error());
            assertTrue(!a.error().contains("JVM out of memory"), a.error());
            int ok = 0;
            for (Future<List<Outcome>> f : victims) {
                for (Outcome o : f.get(120, TimeUnit.SECONDS)) {
                    assertEquals("ok", o.status(), o.toString());
                    assertEquals(expected, o.value());
                    ok++;
                }
            }
            assertEquals(24, ok);
        } finally {
            pool.shutdownNow();
        }
    }
}
