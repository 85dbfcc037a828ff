package io.jenkins.plugins.quire.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.lib.jse.JsePlatform;

/** Prints the cost of the hardened execute VM against stock LuaJ (figures only; no timing assertions). */
@Tag("benchmark")
class SandboxOverheadBenchmark {

    private static final String WORK = "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end\n"
            + "local s = 0 for i = 1, 200000 do s = s + i % 7 end\n"
            + "local parts = {} for i = 1, 2000 do parts[#parts + 1] = tostring(i) .. ('x'):rep(3) end\n"
            + "return fib(22) + s + #table.concat(parts)";

    @Test
    void hardenedVersusStock() throws Exception {
        SandboxLimits unlimited = SandboxLimits.DEFAULTS.withMaxInstructions(0).withCpuTimeMillis(0);
        String expected = JsePlatform.standardGlobals().load(WORK).call().tojstring();
        ExecSandbox.hardenStatics();
        for (int round = 0; round < 6; round++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < 10; k++) {
                try (ExecSandbox vm = ExecSandbox.create(unlimited)) {
                    assertEquals(expected, vm.execute(WORK, "bench.lua", null).arg1().tojstring());
                }
            }
            long t1 = System.nanoTime();
            for (int k = 0; k < 10; k++) {
                Globals g = JsePlatform.standardGlobals();
                g.load(WORK).call();
            }
            long t2 = System.nanoTime();
            ExecSandbox.hardenStatics();
            long t3 = System.nanoTime();
            SandboxRunner.Outcome o = SandboxRunner.run("while true do end", SandboxLimits.DEFAULTS.withCpuTimeMillis(120_000));
            long t4 = System.nanoTime();
            assertEquals("limit", o.status());
            System.out.printf("round %d: hardened %.1f ms/run, stock LuaJ %.1f ms/run, 20M-instruction loop stopped after %.0f ms%n",
                    round, (t1 - t0) / 1e7, (t2 - t1) / 1e7, (t4 - t3) / 1e6);
        }
    }
}
