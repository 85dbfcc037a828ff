package io.jenkins.plugins.quire.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The Lua time budget counts the job thread's CPU time, so jobs that share few cores are not charged for waiting,
 * and the watchdog for a thread stuck in one Java call does not mistake waiting for a core for being stuck.
 */
class CpuTimeBudgetTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final SandboxLimits ONE_SECOND = SandboxLimits.DEFAULTS.withMaxInstructions(0).withCpuTimeMillis(1_000);

    /** {@code cpu()}: the CPU milliseconds the calling thread has used (to make a script burn a given amount). */
    private static HostFunction cpu() {
        return new HostFunction("cpu") {
            @Override
            protected Varargs call(ExecSandbox vm, Varargs args) {
                return LuaValue.valueOf(THREADS.getCurrentThreadCpuTime() / 1_000_000L);
            }
        };
    }

    /** {@code sync()}: waits until every job of the test has started. */
    private static HostFunction sync(CountDownLatch all) {
        return new HostFunction("sync") {
            @Override
            protected Varargs call(ExecSandbox vm, Varargs args) throws Exception {
                all.countDown();
                if (!all.await(60, TimeUnit.SECONDS)) throw new HostError("the other jobs did not start");
                return NONE;
            }
        };
    }

    /** Burns {@code ms} of Lua CPU time, in a loop on line 4 of the chunk. */
    private static String burn(long ms) {
        return "sync()\n"
                + "local start, n = cpu(), 0\n"
                + "while cpu() - start < " + ms + " do\n"
                + "  for i = 1, 200 do n = i end\n"            // small integers are cached: no allocation
                + "end\n"
                + "return 'done'";
    }

    @Test
    void fourJobsOnTwoCoresEachBurningMostOfTheBudgetAllSucceedWhileOneOverItFails() throws Exception {
        CountDownLatch started = new CountDownLatch(5);
        List<CompletableFuture<Object>> good = new ArrayList<>();
        List<ExecSandbox> vms = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                ExecSandbox vm = ExecSandbox.create(ONE_SECOND);
                vms.add(vm);
                vm.registerGlobal("cpu", cpu());
                vm.registerGlobal("sync", sync(started));
            }
            for (int i = 0; i < 4; i++) good.add(runAsync(vms.get(i), burn(600)));
            CompletableFuture<Object> over = runAsync(vms.get(4), burn(3_000));
            for (CompletableFuture<Object> f : good) assertEquals("done", f.get(120, TimeUnit.SECONDS));
            Object r = over.get(120, TimeUnit.SECONDS);
            assertTrue(r instanceof ScriptException, String.valueOf(r));
            ScriptException e = (ScriptException) r;
            assertEquals(ScriptException.Kind.LIMIT, e.kind());
            assertTrue(e.getMessage().matches("ci\\.fnl:[34]: CPU time limit exceeded \\(1000 ms\\)"), e.getMessage());
        } finally {
            vms.forEach(ExecSandbox::close);
        }
    }

    private static CompletableFuture<Object> runAsync(ExecSandbox vm, String lua) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return vm.execute(lua, "ci.fnl", null).arg1().tojstring();
            } catch (ScriptException e) {
                return e;
            }
        });
    }

    @Test
    void aThreadThatGetsNoCpuIsNeverOverdueButOneBurningCpuIs() throws Exception {
        BudgetHook hook = new BudgetHook(SandboxLimits.DEFAULTS.withCpuTimeMillis(100));
        CountDownLatch armed = new CountDownLatch(1);
        CountDownLatch burnNow = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            hook.arm(null);
            armed.countDown();
            try {
                burnNow.await();                      // armed, outside host code, using no CPU: like waiting for a core
                long end = THREADS.getCurrentThreadCpuTime() + 400_000_000L;
                long x = 0;
                while (THREADS.getCurrentThreadCpuTime() < end) x += System.nanoTime() & 1;
                if (x < 0) throw new IllegalStateException();
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                hook.disarm();
            }
        }, "cpu-budget-test");
        t.start();
        try {
            assertTrue(armed.await(30, TimeUnit.SECONDS));
            Thread.sleep(600);                        // far past a 100 ms budget plus 100 ms grace in wall-clock time
            assertFalse(hook.overdue(100), "a thread that used no CPU is not overdue");
            burnNow.countDown();
            boolean overdue = false;
            for (int i = 0; i < 600 && !overdue; i++) {
                overdue = hook.overdue(100);
                if (!overdue) Thread.sleep(50);
            }
            assertTrue(overdue, "a thread that burned 400 ms of CPU against a 100 ms budget is overdue");
        } finally {
            burnNow.countDown();
            done.countDown();
            t.join(30_000);
        }
    }
}
