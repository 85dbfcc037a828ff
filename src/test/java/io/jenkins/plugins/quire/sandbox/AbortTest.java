package io.jenkins.plugins.quire.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Abort from another thread (abort button, job timeout) stops Lua loops and blocked host
 * functions quickly with kind ABORTED; time spent in host functions is not charged to the
 * script's wall clock, while Lua time is.
 */
class AbortTest {

    private static final SandboxLimits NO_INSTRUCTION_LIMIT =
            SandboxLimits.DEFAULTS.withMaxInstructions(0).withCpuTimeMillis(60_000);

    private static HostFunction sleeper(String name, long ms) {
        return new HostFunction(name) {
            @Override
            protected Varargs call(ExecSandbox vm, Varargs args) throws Exception {
                Thread.sleep(ms);
                return LuaValue.valueOf("slept");
            }
        };
    }

    private static ScriptException abortAfter(ExecSandbox vm, String lua, long delayMs) throws Exception {
        CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> {
            try {
                return vm.execute(lua, "ci.lua", null);
            } catch (ScriptException e) {
                return e;
            }
        });
        Thread.sleep(delayMs);
        long t0 = System.nanoTime();
        vm.abort("aborted by user");
        Object r = f.get(10, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 2_000, "stopping took " + ms + " ms");
        assertTrue(r instanceof ScriptException, "run was not stopped: " + r);
        return (ScriptException) r;
    }

    @Test
    void abortStopsAnInfiniteLoop() throws Exception {
        try (ExecSandbox vm = ExecSandbox.create(NO_INSTRUCTION_LIMIT)) {
            ScriptException e = abortAfter(vm, "while true do end", 300);
            assertEquals(ScriptException.Kind.ABORTED, e.kind());
            assertTrue(e.getMessage().endsWith("aborted by user"), e.getMessage());
        }
    }

    @Test
    void abortStopsAHostFunctionBlockedInJava() throws Exception {
        try (ExecSandbox vm = ExecSandbox.create(NO_INSTRUCTION_LIMIT)) {
            vm.registerGlobal("sh", sleeper("sh", 60_000));
            ScriptException e = abortAfter(vm, "local r = sh('sleep 60') return r", 300);
            assertEquals(ScriptException.Kind.ABORTED, e.kind());
            assertTrue(e.getMessage().contains("aborted by user"), e.getMessage());
        }
    }

    @Test
    void abortStopsARunFnCalledLater() throws Exception {
        try (ExecSandbox vm = ExecSandbox.create(NO_INSTRUCTION_LIMIT)) {
            LuaValue fn = vm.execute("return function() while true do end end", "ci.lua", null).arg1();
            CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> {
                try {
                    return vm.call(fn, LuaValue.NONE, NO_INSTRUCTION_LIMIT);
                } catch (ScriptException e) {
                    return e;
                }
            });
            Thread.sleep(300);
            vm.abort("job timeout (1 min)");
            Object r = f.get(10, TimeUnit.SECONDS);
            assertTrue(r instanceof ScriptException se && se.kind() == ScriptException.Kind.ABORTED, String.valueOf(r));
            assertEquals("ok", SandboxRunner.execute(vm, "return 'still usable'", "ci.lua", null).status(),
                    "the sandbox runs again after an abort");
        }
    }

    /** A host function that burns {@code cpuMs} of its thread's CPU time (host work such as streaming output). */
    private static HostFunction burner(String name, long cpuMs) {
        return new HostFunction(name) {
            @Override
            protected Varargs call(ExecSandbox vm, Varargs args) {
                java.lang.management.ThreadMXBean b = java.lang.management.ManagementFactory.getThreadMXBean();
                long end = b.getCurrentThreadCpuTime() + cpuMs * 1_000_000L;
                long x = 0;
                while (b.getCurrentThreadCpuTime() < end) x += System.nanoTime() & 1;
                return LuaValue.valueOf(x >= 0 ? "slept" : "");
            }
        };
    }

    @Test
    void hostTimeIsNotChargedToTheCpuClock() throws Exception {
        SandboxLimits halfSecond = SandboxLimits.DEFAULTS.withCpuTimeMillis(500);
        try (ExecSandbox vm = ExecSandbox.create(halfSecond)) {
            vm.registerGlobal("sh", burner("sh", 1_500));
            Varargs r = vm.execute("local a = sh('x') local n = 0 for i = 1, 1000 do n = n + i end return a .. n", "ci.lua", null);
            assertEquals("slept500500", r.arg1().tojstring());
        }
    }

    @Test
    void luaTimeIsChargedToTheCpuClock() {
        SandboxLimits halfSecond = SandboxLimits.DEFAULTS.withCpuTimeMillis(500).withMaxInstructions(0);
        SandboxRunner.Outcome o = SandboxRunner.run("while true do end", halfSecond);
        assertEquals("limit", o.status());
        assertTrue(o.error().endsWith("CPU time limit exceeded (500 ms)"), o.error());
    }
}
