package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.DockerEngine;
import io.jenkins.plugins.quire.container.DockerEngineExtension;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.container.EngineConfig;
import io.jenkins.plugins.quire.log.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real dockerd: many runs of one owner at once in one JVM (concurrent builds of one Hudson), each through the path a
 * build takes (connect, leftover sweep, container start, sh, teardown). No run may lose its container to another's
 * sweep ({@code No such container}, {@code marked for removal}, a container dying mid-{@code echo}). Besides the
 * sweep at each run's start, one more thread sweeps without pause, as a stream of further builds starting would.
 */
class ConcurrentRunsIT {
    private static final int THREADS = 8;
    private static final int ROUNDS = 3;
    private static final String OWNER = DockerTestSupport.owner(ConcurrentRunsIT.class);
    @RegisterExtension
    static final DockerEngineExtension DOCKER = new DockerEngineExtension(OWNER);

    @Test
    void concurrentRunsOfOneOwnerNeverRemoveEachOthersContainers() throws Exception {
        List<Path> workspaces = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        AtomicBoolean done = new AtomicBoolean();
        try {
            Future<Integer> sweeper = pool.submit(() -> {
                int sweeps = 0;
                try (DockerEngine own = DockerEngine.connect(EngineConfig.defaults())) {
                    while (!done.get()) {
                        own.sweepLeftovers(OWNER);
                        sweeps++;
                    }
                }
                return sweeps;
            });
            CyclicBarrier together = new CyclicBarrier(THREADS);
            List<Future<List<String>>> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Path ws = DockerTestSupport.newWorkspace("concurrent-" + t);
                workspaces.add(ws);
                Files.createDirectories(ws.resolve(".quire"));
                Files.writeString(ws.resolve(".quire/ci.fnl"), "(local ci (require :quire.ci))\n"
                        + "(ci.job :echo [:quire/push] (fn [{: sh}] (let [r (sh \"echo hello\")]"
                        + " (when (= r.stdout \"hello\\n\") {:ok r.exit}))))\n");
                threads.add(pool.submit(() -> {
                    List<String> failures = new ArrayList<>();
                    for (int round = 0; round < ROUNDS; round++) {
                        together.await(120, TimeUnit.SECONDS);   // every round starts all runs at once
                        RunResult r;
                        try {
                            r = new PipelineRunner(RunOptions.builder(ws).imageOverride(DockerTestSupport.BUSYBOX)
                                    .owner(OWNER).logsDir(ws.resolve("logs-" + round)).build(), List.of()).run();
                        } catch (Exception e) {
                            failures.add(ws.getFileName() + " round " + round + ": " + e);
                            continue;
                        }
                        if (r.status() != RunStatus.SUCCESS || r.jobs().size() != 2) {
                            failures.add(ws.getFileName() + " round " + round + ": " + r.status() + " "
                                    + r.containerDeathReason() + " " + r.jobs());
                        }
                    }
                    return failures;
                }));
            }
            List<String> failures = new ArrayList<>();
            for (Future<List<String>> f : threads) failures.addAll(f.get(15, TimeUnit.MINUTES));
            done.set(true);
            assertEquals(List.of(), failures, THREADS * ROUNDS + " runs");
            assertTrue(sweeper.get(2, TimeUnit.MINUTES) > 0, "a sweep never fails, even beside runs removing their own");
        } finally {
            done.set(true);
            pool.shutdownNow();
            workspaces.forEach(DockerTestSupport::deleteTree);
        }
    }
}
