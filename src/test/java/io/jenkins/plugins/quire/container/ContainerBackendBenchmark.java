package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Why: figures for the container backend against the docker CLI on this machine (printed, no timing asserted).
 * Run with: mvn -Dsurefire.excludedGroups=none -Dgroups=benchmark -Dtest='io.jenkins.plugins.quire.container.*Benchmark' test
 */
@Tag("benchmark")
class ContainerBackendBenchmark {
    private static final String OWNER = DockerTestSupport.owner(ContainerBackendBenchmark.class);
    private static final int N = 25;
    private static final long BIG = 200_000_000L;
    private static DockerEngine engine;
    private static Path workspace;

    @BeforeAll
    static void connect() throws Exception {
        engine = DockerTestSupport.engine();
        workspace = DockerTestSupport.newWorkspace("bench");
    }

    @AfterAll
    static void stop() {
        DockerTestSupport.assertNoContainersLeft(engine, OWNER);
        engine.close();
        DockerTestSupport.deleteTree(workspace);
    }

    private static String stats(List<Double> ms) {
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        return String.format("min %.1f / median %.1f / max %.1f ms (n=%d)", s.get(0), s.get(s.size() / 2), s.get(s.size() - 1), s.size());
    }

    private static double since(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    @Test
    void perExecOverheadBackendVsCli() {
        try (RunContainer c = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "bench-exec", OWNER))) {
            for (int i = 0; i < 3; i++) c.exec(ExecRequest.argv("true"), ExecListener.DISCARD);
            List<Double> backend = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                long t0 = System.nanoTime();
                ExecResult r = c.exec(ExecRequest.argv("true"), ExecListener.DISCARD);
                backend.add(since(t0));
                assertEquals(0, r.exitCode());
            }
            List<Double> cli = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                long t0 = System.nanoTime();
                DockerTestSupport.runOk("docker", "exec", c.id(), "true");
                cli.add(since(t0));
            }
            List<Double> bg = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                c.exec(ExecRequest.shell("sleep 30 & echo started"), ExecListener.DISCARD);
                bg.add(since(t0));
            }
            System.out.println("[bench] exec `true` through the backend:      " + stats(backend));
            System.out.println("[bench] `docker exec <id> true` via the CLI:  " + stats(cli));
            System.out.println("[bench] exec leaving `sleep 30 &` (reaped):   " + stats(bg));
        }
    }

    @Test
    void runStartToFirstExecRunning() {
        List<Double> first = new ArrayList<>();
        List<Double> close = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            double[] firstChunk = new double[1];
            RunContainer c = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, workspace, "bench-start-" + i, OWNER));
            c.exec(ExecRequest.argv("echo", "x"), new ExecListener() {
                @Override public void onStdout(byte[] d, int off, int len) { if (firstChunk[0] == 0) firstChunk[0] = since(t0); }

                @Override public void onStderr(byte[] d, int off, int len) { }
            });
            first.add(firstChunk[0]);
            long t1 = System.nanoTime();
            c.close();
            close.add(since(t1));
        }
        System.out.println("[bench] startRun -> first exec output:         " + stats(first));
        System.out.println("[bench] close (kill + force remove):           " + stats(close));
    }

    @Test
    void throughputOf200MegabytesBackendVsCli() {
        for (String image : List.of(DockerTestSupport.BUSYBOX, DockerTestSupport.DEBIAN)) {
            try (RunContainer c = engine.startRun(RunSpec.of(image, workspace, "bench-big", OWNER))) {
                String cmd = "head -c " + BIG + " /dev/zero";
                List<Double> backend = new ArrayList<>();
                List<Double> cli = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    AtomicLong n = new AtomicLong();
                    long t0 = System.nanoTime();
                    c.exec(ExecRequest.shell(cmd), new ExecListener() {
                        @Override public void onStdout(byte[] d, int off, int len) { n.addAndGet(len); }

                        @Override public void onStderr(byte[] d, int off, int len) { }
                    });
                    backend.add(BIG / 1e6 / (since(t0) / 1000));
                    assertEquals(BIG, n.get());
                    long t1 = System.nanoTime();
                    String wc = DockerTestSupport.runOk("bash", "-c", "docker exec " + c.id() + " sh -c '" + cmd + "' | wc -c");
                    cli.add(BIG / 1e6 / (since(t1) / 1000));
                    assertEquals(String.valueOf(BIG), wc.trim());
                }
                System.out.printf("[bench] 200 MB via the backend (%s): %s MB/s%n", image, fmt(backend));
                System.out.printf("[bench] 200 MB via `docker exec | wc -c` (%s): %s MB/s%n", image, fmt(cli));
            }
        }
    }

    private static String fmt(List<Double> v) {
        StringBuilder b = new StringBuilder();
        for (double d : v) b.append(b.length() == 0 ? "" : " / ").append(String.format("%.0f", d));
        return b.toString();
    }
}
