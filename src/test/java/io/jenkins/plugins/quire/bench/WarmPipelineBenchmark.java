package io.jenkins.plugins.quire.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.quire.fennel.FennelCompiler;
import io.jenkins.plugins.quire.pipeline.LoadedPipeline;
import io.jenkins.plugins.quire.pipeline.PipelineLoader;
import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (prints figures, asserts no time) in a warm JVM: execute-VM creation, compiling the 100-line ci.fnl, and
 * the whole validate path (compile + execute VM + registration + validation) that a build step pays per build.
 */
@Tag("benchmark")
class WarmPipelineBenchmark {
    private static final int WARMUP = 20;
    private static final int RUNS = 40;

    private interface Step {
        void run() throws Exception;
    }

    private static String median(Step step) throws Exception {
        for (int i = 0; i < WARMUP; i++) step.run();
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            step.run();
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        Collections.sort(ms);
        return String.format("median %.2f ms (min %.2f, p90 %.2f, %d runs after %d warm-up)", ms.get(RUNS / 2),
                ms.get(0), ms.get(RUNS * 9 / 10), RUNS, WARMUP);
    }

    @Test
    void warmFigures() throws Exception {
        String source;
        try (InputStream in = getClass().getResourceAsStream("/bench/ci-100.fnl")) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String vm = median(() -> {
            try (ExecSandbox s = ExecSandbox.create(SandboxLimits.defaults())) {
                assertEquals(3, s.execute("return 1 + 2", "bench.lua", l -> l).arg1().toint());
            }
        });
        String compile = median(() -> FennelCompiler.compile(source, "ci.fnl"));
        String load = median(() -> {
            try (LoadedPipeline p = PipelineLoader.load(source, "ci.fnl", SandboxLimits.defaults())) {
                assertEquals(11, p.pipeline().jobs().size());
            }
        });
        System.out.println("BENCH warm execute-VM creation (+ one tiny chunk, close): " + vm);
        System.out.println("BENCH warm compile of the 100-line ci.fnl: " + compile);
        System.out.println("BENCH warm validate of the 100-line ci.fnl (compile + execute VM + registration + rules): "
                + load);
    }
}
