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
 * Eight sandboxes at once on separate threads: attackers rewrite their string library and try to
 * reach the shared string metatable in a loop while victims check string results in a loop. The
 * victims must never see an attacker's change; each attacker must see its own.
 */
class ConcurrencyTest {

    private static final String ATTACKER = "local seen = 0\n"
            + "for i = 1, 3000 do\n"
            + "  string.upper = function(s) return 'PWNED' end\n"
            + "  string.format = function() return 'PWNED' end\n"
            + "  pcall(rawset, getmetatable(''), '__index', {})\n"
            + "  pcall(setmetatable, '', {})\n"
            + "  if ('ok'):upper() == 'PWNED' then seen = seen + 1 end\n"
            + "end\n"
            + "return seen";

    private static final String VICTIM = "local bad = 0\n"
            + "for i = 1, 3000 do\n"
            + "  if ('abc'):upper() ~= 'ABC' then bad = bad + 1 end\n"
            + "  if string.format('%d-%s', i, 'x') ~= i .. '-x' then bad = bad + 1 end\n"
            + "  if ('%5.1f'):format(2.25) ~= '  2.2' then bad = bad + 1 end\n"
            + "end\n"
            + "return bad";

    @Test
    void eightConcurrentSandboxes_victimsNeverSeeAttackersChanges() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Outcome>>> attackers = new ArrayList<>();
        List<Future<List<Outcome>>> victims = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                boolean attacker = i % 2 == 0;
                Future<List<Outcome>> f = pool.submit(() -> {
                    start.await();
                    List<Outcome> out = new ArrayList<>();
                    for (int r = 0; r < 6; r++) out.add(SandboxRunner.run(attacker ? ATTACKER : VICTIM));
                    return out;
                });
                (attacker ? attackers : victims).add(f);
            }
            start.countDown();
            for (Future<List<Outcome>> f : victims) {
                for (Outcome o : f.get(120, TimeUnit.SECONDS)) {
                    assertEquals("ok", o.status(), o.toString());
                    assertEquals("0", o.value(), "victim saw foreign string changes");
                }
            }
            for (Future<List<Outcome>> f : attackers) {
                for (Outcome o : f.get(120, TimeUnit.SECONDS)) {
                    assertEquals("ok", o.status(), o.toString());
                    assertEquals("3000", o.value(), "an attacker sees its own change (Lua semantics)");
                }
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }
}
