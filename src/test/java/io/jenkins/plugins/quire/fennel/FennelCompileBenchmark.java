package io.jenkins.plugins.quire.fennel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.sandbox.BudgetHook;
import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;

/** Compile-VM figures: warm compile of a ~100-line ci.fnl, and fresh compile-VM creation. Prints, asserts no times. */
@Tag("benchmark")
class FennelCompileBenchmark {
    private static final int WARMUP = 15;
    private static final int RUNS = 40;

    private static String pipeline() throws Exception {
        try (InputStream in = FennelCompileBenchmark.class.getResourceAsStream("/fennel-bench/pipeline-100.fnl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void warmCompileOfAHundredLinePipeline() throws Exception {
        String src = pipeline();
        long t0 = System.nanoTime();
        CompiledScript first = FennelCompiler.compile(src, "ci.fnl");
        long firstMs = (System.nanoTime() - t0) / 1_000_000;
        for (int i = 0; i < WARMUP; i++) FennelCompiler.compile(src, "ci.fnl");
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long s = System.nanoTime();
            FennelCompiler.compile(src, "ci.fnl");
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("fennel compile (%d Fennel lines -> %d Lua lines): first %d ms (includes parsing fennel.lua),"
                        + " warm median %.1f ms, min %.1f ms, p90 %.1f ms over %d runs%n",
                src.split("\n").length, first.lua().split("\n").length, firstMs, ms[RUNS / 2], ms[0],
                ms[(int) (RUNS * 0.9)], RUNS);
        assertTrue(first.lua().contains("ci.job"));
    }

    @Test
    void freshCompileVmCreation() {
        FennelPrototype.get();
        double[] vmMs = new double[RUNS];
        double[] fennelMs = new double[RUNS];
        for (int i = 0; i < WARMUP + RUNS; i++) {
            long s = System.nanoTime();
            BudgetHook hook = new BudgetHook(SandboxLimits.DEFAULTS);
            Globals g = CompileVM.newGlobals(hook);
            long m = System.nanoTime();
            new LuaClosure(FennelPrototype.get(), g).call();
            long e = System.nanoTime();
            if (i >= WARMUP) {
                vmMs[i - WARMUP] = (m - s) / 1e6;
                fennelMs[i - WARMUP] = (e - m) / 1e6;
            }
        }
        Arrays.sort(vmMs);
        Arrays.sort(fennelMs);
        System.out.printf("compile VM: fresh Globals with libraries and fixes median %.2f ms (min %.2f);"
                        + " instantiating the cached fennel.lua Prototype median %.2f ms (min %.2f)%n",
                vmMs[RUNS / 2], vmMs[0], fennelMs[RUNS / 2], fennelMs[0]);
        assertTrue(vmMs[0] >= 0);
    }
}
