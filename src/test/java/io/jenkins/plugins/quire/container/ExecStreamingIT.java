package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real dockerd: how commands run in the run container and how their output streams back. */
class ExecStreamingIT {
    /** Plain docker exec here; through the exec agent in the ...AgentIT subclass. */
    static ExecMode mode;
    private static DockerFixture docker;
    private static Path workspace;
    private static RunContainer box;

    @BeforeAll
    static void start(TestInfo info) throws Exception {
        mode = DockerTestSupport.execModeOf(info);
        docker = DockerFixture.open(ExecStreamingIT.class, "streaming");
        workspace = docker.workspace();
        box = docker.startBox("streaming-1", mode);
    }

    @AfterAll
    static void stop() {
        if (docker != null) docker.close();
    }

    private static RecordingListener run(ExecRequest r, ExecResult[] result) {
        RecordingListener l = new RecordingListener();
        result[0] = box.exec(r, l);
        return l;
    }

    @Test
    void argvIsPassedWithoutShellExpansion() {
        ExecResult[] r = new ExecResult[1];
        RecordingListener l = run(ExecRequest.argv("echo", "a  b", "$HOME", "*"), r);
        assertEquals("a  b $HOME *\n", l.stdout());
        assertEquals(ExecOutcome.SUCCEEDED, r[0].outcome());
        assertEquals(0, r[0].exitCode());
    }

    @Test
    void shellStringIsRunThroughShC() throws Exception {
        Files.writeString(workspace.resolve("only-file.txt"), "x");
        ExecResult[] r = new ExecResult[1];
        RecordingListener l = run(ExecRequest.shell("echo $((1+2)) only-*.txt; exit 3"), r);
        assertEquals("3 only-file.txt\n", l.stdout());
        assertEquals(ExecOutcome.FAILED, r[0].outcome());
        assertEquals(3, r[0].exitCode());
        assertTrue(r[0].reason().isEmpty(), "a plain non-zero exit carries no reason");
    }

    @Test
    void envValuesAndWorkingDirReachTheCommandUnevaluated() {
        ExecResult[] r = new ExecResult[1];
        run(ExecRequest.shell("mkdir -p sub/deeper"), r);
        assertEquals(0, r[0].exitCode());
        RecordingListener l = run(ExecRequest.shell("pwd; echo \"$FOO|$QUOTE\"; echo ${#" + RunContainer.TOKEN_VARIABLE + "}")
                .withEnv(Map.of("FOO", "a b", "QUOTE", "it's $(not-run) `x`"))
                .withWorkDir("sub/deeper"), r);
        assertEquals("/work/sub/deeper\na b|it's $(not-run) `x`\n36\n", l.stdout(), "cwd, env and a 36-char token");
    }

    @Test
    void stdoutAndStderrAreSeparateAndInArrivalOrder() {
        ExecResult[] r = new ExecResult[1];
        RecordingListener l = run(ExecRequest.shell(
                "echo out1; sleep 0.3; echo err1 >&2; sleep 0.3; echo out2; sleep 0.3; echo err2 >&2"), r);
        assertEquals("out1\nout2\n", l.stdout());
        assertEquals("err1\nerr2\n", l.stderr());
        assertEquals(List.of("out:out1", "err:err1", "out:out2", "err:err2"), l.taggedLines());
        assertEquals(10, r[0].stdoutBytes());
        assertEquals(10, r[0].stderrBytes());
    }

    @Test
    void outputArrivesWhileTheCommandIsStillRunning() {
        ExecResult[] r = new ExecResult[1];
        long t0 = System.nanoTime();
        RecordingListener l = run(ExecRequest.shell("echo first; sleep 1.5; echo second"), r);
        long end = System.nanoTime();
        assertEquals("first\nsecond\n", l.stdout());
        long firstAt = (l.chunks.get(0).nanos - t0) / 1_000_000;
        long endAt = (end - t0) / 1_000_000;
        assertTrue(endAt - firstAt >= 1000, "first chunk at " + firstAt + " ms, exec ended at " + endAt + " ms");
    }

    @Test
    void nonUtf8BytesPassThroughUnchanged() {
        ExecResult[] r = new ExecResult[1];
        RecordingListener l = run(ExecRequest.shell("printf 'a\\351\\377\\376\\303\\251\\000z\\n'"), r);
        assertArrayEquals(new byte[] {'a', (byte) 0xe9, (byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0xa9, 0, 'z', '\n'},
                l.stdoutBytes());
    }

    @Test
    void twoHundredMegabytesStreamWithBoundedMemory() {
        AtomicLong count = new AtomicLong();
        AtomicLong chunks = new AtomicLong();
        ExecListener counter = new ExecListener() {
            @Override public void onStdout(byte[] data, int off, int len) { count.addAndGet(len); chunks.incrementAndGet(); }

            @Override public void onStderr(byte[] data, int off, int len) { }
        };
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        ExecResult r = box.exec(ExecRequest.shell("head -c 200000000 /dev/zero"), counter);
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        assertEquals(200_000_000L, count.get());
        assertEquals(200_000_000L, r.stdoutBytes());
        assertEquals(ExecOutcome.SUCCEEDED, r.outcome());
        assertTrue(chunks.get() > 1000, "streamed in chunks, got " + chunks.get());
        System.out.printf("[%s] 200 MB of head -c reached the listener in %d calls%n", mode, chunks.get());
        assertTrue(after - before < 64L * 1024 * 1024, "heap retained " + (after - before) + " bytes after 200 MB");
    }

    @Test
    void aMegabyteWrittenAtOnceArrivesInFewLargeChunks() {
        // one write(2) of 1 MiB: Docker carries it in frames of up to tens of KiB (the agent in 64 KiB frames), and
        // each frame must reach the listener whole, not cut into 1 KiB pieces (1,024 calls or more)
        RecordingListener l = new RecordingListener();
        ExecResult r = box.exec(ExecRequest.shell("dd if=/dev/zero bs=1048576 count=1 2>/dev/null"), l);
        assertEquals(ExecOutcome.SUCCEEDED, r.outcome(), r.toString());
        assertEquals(1 << 20, l.stdoutBytes().length);
        int largest = l.chunks.stream().mapToInt(c -> c.data.length).max().orElse(0);
        assertTrue(l.chunks.size() <= 256, l.chunks.size() + " chunks for 1 MiB, the largest " + largest + " bytes");
        assertTrue(largest > 4096, "the largest chunk has " + largest + " bytes");
    }

    @Test
    void workspaceFilesAreVisibleAtWorkBothWays() throws Exception {
        Files.writeString(workspace.resolve("hello.txt"), "from the host");
        ExecResult[] r = new ExecResult[1];
        RecordingListener l = run(ExecRequest.shell("cat /work/hello.txt; echo from the container > /work/back.txt"), r);
        assertEquals("from the host", l.stdout());
        assertEquals("from the container\n", Files.readString(workspace.resolve("back.txt")));
    }

    @Test
    void missingCommandIsAFailedExitNotAnException() {
        ExecResult[] r = new ExecResult[1];
        RecordingListener l = run(ExecRequest.argv("no-such-command", "x"), r);
        assertEquals(ExecOutcome.FAILED, r[0].outcome());
        assertTrue(r[0].exitCode() == 126 || r[0].exitCode() == 127, "exit " + r[0].exitCode());
        assertTrue((l.stdout() + l.stderr()).contains("no-such-command"), l.stdout() + l.stderr());
        assertFalse(r[0].containerDied());
    }

    @Test
    void listenerGetsItsOwnCopyOfEachChunk() {
        List<byte[]> kept = new java.util.ArrayList<>();
        ExecListener keeper = new ExecListener() {
            @Override public void onStdout(byte[] data, int off, int len) { kept.add(data); }

            @Override public void onStderr(byte[] data, int off, int len) { }
        };
        // two full 1 KiB chunks of different bytes: a reused buffer would make both look like the second
        box.exec(ExecRequest.shell("head -c 1024 /dev/zero | tr '\\0' A; sleep 0.3; head -c 1024 /dev/zero | tr '\\0' B"), keeper);
        String all = kept.stream().map(b -> new String(b, StandardCharsets.US_ASCII)).reduce("", String::concat);
        assertEquals("A".repeat(1024) + "B".repeat(1024), all);
    }
}
