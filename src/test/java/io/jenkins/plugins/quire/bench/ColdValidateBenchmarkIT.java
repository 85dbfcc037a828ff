package io.jenkins.plugins.quire.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (prints figures, asserts no time): a cold `java -jar quire-ci.jar validate` of a 100-line ci.fnl, the
 * whole process from fork to exit, as a user or a Jenkinsfile step would run it.
 */
@Tag("benchmark")
class ColdValidateBenchmarkIT {
    private static final int RUNS = 10;

    @Test
    void coldValidateOfAHundredLinePipeline() throws Exception {
        Path jar = Path.of(System.getProperty("quire.jar"));
        Path dir = Files.createTempDirectory("quire-bench");
        Path fnl = dir.resolve("ci.fnl");
        try (var in = getClass().getResourceAsStream("/bench/ci-100.fnl")) {
            Files.copy(in, fnl);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < RUNS + 1; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(java, "-jar", jar.toString(), "validate", "--file", fnl.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            double elapsed = (System.nanoTime() - t0) / 1e6;
            assertEquals(0, p.exitValue(), out);
            if (i > 0) ms.add(elapsed); // the first run warms the page cache only
        }
        Collections.sort(ms);
        System.out.printf("BENCH cold validate (100-line ci.fnl, whole process, %d runs): median %.0f ms, min %.0f ms,"
                + " max %.0f ms%n", RUNS, ms.get(RUNS / 2), ms.get(0), ms.get(RUNS - 1));
    }
}
