package io.jenkins.plugins.quire.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

/**
 * Memory for Lua values is bounded per run: the jobs running at once share one {@link RunLuaBudget}, and a job's
 * charge goes back to the pool when it ends.
 */
class RunLuaBudgetTest {
    private static final long POOL = 64L << 20;
    private static final SandboxLimits LIMITS = SandboxLimits.DEFAULTS.withMaxAllocBytes(POOL).withCpuTimeMillis(60_000);

    /** Builds {@code n} distinct 1 MiB strings (each charged as 2 MiB built) and keeps them. */
    private static String allocate(String keep, int n) {
        return "for i = 1, " + n + " do " + keep + "[#" + keep + " + 1] = ('x'):rep(1048576 + i) end\n";
    }

    /** Every job allocates 10 MiB, waits for the others, allocates 10 MiB more, waits again: 80 MiB at once. */
    private static final String TWO_PHASES = "local keep = {}\n" + allocate("keep", 5) + "sync(1)\n" + allocate("keep", 5)
            + "sync(2)\nreturn #keep";

    /** {@code sync(k)}: waits until every job reached phase k or ended. */
    private static final class Phases {
        final CountDownLatch[] latches;

        Phases(int jobs) {
            latches = new CountDownLatch[] { new CountDownLatch(jobs), new CountDownLatch(jobs) };
        }

        HostFunction sync(boolean[] arrived) {
            return new HostFunction("sync") {
                @Override
                protected Varargs call(ExecSandbox vm, Varargs args) throws Exception {
                    int k = args.checkint(1) - 1;
                    arrived[k] = true;
                    latches[k].countDown();
                    if (!latches[k].await(60, TimeUnit.SECONDS)) throw new HostError("the other jobs did not arrive");
                    return NONE;
                }
            };
        }

        /** A job that ended early no longer holds the others up. */
        void ended(boolean[] arrived) {
            for (int k = 0; k < latches.length; k++) if (!arrived[k]) latches[k].countDown();
        }
    }

    private static List<Object> runTogether(RunLuaBudget pool, int jobs, String lua) throws Exception {
        Phases phases = new Phases(jobs);
        List<CompletableFuture<Object>> futures = new ArrayList<>();
        List<ExecSandbox> vms = new ArrayList<>();
        try {
            for (int i = 0; i < jobs; i++) {
                ExecSandbox vm = ExecSandbox.create(LIMITS);
                vms.add(vm);
                vm.setAllocationPool(pool);
                boolean[] arrived = new boolean[2];
                vm.registerGlobal("sync", phases.sync(arrived));
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return vm.execute(lua, "ci.fnl", null).arg1().tojstring();
                    } catch (ScriptException e) {
                        return e;
                    } finally {
                        phases.ended(arrived);
                    }
                }));
            }
            List<Object> out = new ArrayList<>();
            for (CompletableFuture<Object> f : futures) out.add(f.get(120, TimeUnit.SECONDS));
            return out;
        } finally {
            vms.forEach(ExecSandbox::close);
        }
    }

    @Test
    void fourJobsTogetherShareThePoolEachAloneFitsAndAfterwardsOneGetsTheWholePool() throws Exception {
        RunLuaBudget pool = new RunLuaBudget(POOL);

        List<Object> alone = runTogether(pool, 1, TWO_PHASES);
        assertEquals(List.of("10"), alone, "one job alone stays within the pool");
        assertEquals(0, pool.charged(), "a job that ended holds no charge");

        List<Object> together = runTogether(pool, 4, TWO_PHASES);
        long failed = together.stream().filter(r -> r instanceof ScriptException).count();
        assertTrue(failed >= 1, "four jobs holding 80 MiB at once exceed the 64 MiB pool: " + together);
        for (Object r : together) {
            if (r instanceof ScriptException e) {
                assertEquals(ScriptException.Kind.LIMIT, e.kind());
                assertTrue(e.getMessage().matches("ci\\.fnl:\\d+: memory limit exceeded \\(.*the run's limit is 64 MiB\\)"),
                        e.getMessage());
            } else {
                assertEquals("10", r);
            }
        }
        assertEquals(0, pool.charged(), "every job gave its charge back");

        List<Object> big = runTogether(pool, 1, "local keep = {}\n" + allocate("keep", 28) + "sync(1) sync(2)\nreturn #keep");
        assertEquals(List.of("28"), big, "after the others ended, one job may use 56 of the 64 MiB");
    }

    @Test
    void withoutASharedPoolEachVmHasTheWholeLimit() throws Exception {
        List<Object> four = new ArrayList<>();
        Phases phases = new Phases(4);
        List<CompletableFuture<Object>> futures = new ArrayList<>();
        List<ExecSandbox> vms = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                ExecSandbox vm = ExecSandbox.create(LIMITS);
                vms.add(vm);
                boolean[] arrived = new boolean[2];
                vm.registerGlobal("sync", phases.sync(arrived));
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return vm.execute(TWO_PHASES, "ci.fnl", null).arg1().tojstring();
                    } catch (ScriptException e) {
                        return e;
                    } finally {
                        phases.ended(arrived);
                    }
                }));
            }
            for (CompletableFuture<Object> f : futures) four.add(f.get(120, TimeUnit.SECONDS));
        } finally {
            vms.forEach(ExecSandbox::close);
        }
        assertEquals(List.of("10", "10", "10", "10"), four, "separate sandboxes (separate runs) do not share a pool");
    }
}
