package io.jenkins.plugins.quire.run;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Why: a program the host runs on files a job could write (git on {@code .git}) can block forever, on a FIFO for
 * instance, before it writes a byte; reading its output first and waiting afterwards never ends. This runs one
 * host program with stdin from {@code /dev/null}, stderr discarded, stdout read by its own thread (at most
 * {@code maxOutput} bytes kept, the rest drained), and one deadline that covers both the exit and the output:
 * past it the program and everything it started are killed.
 */
final class HostProcess {
    private static final File NULL_FILE = new File("/dev/null");

    /** The exit code and the (possibly cut) stdout of a program that finished in time. */
    record Result(int exit, String stdout) {}

    private HostProcess() {}

    /**
     * @param deadlineNanos the {@link System#nanoTime} by which the program has exited and its output was read
     * @throws TimeoutException the deadline passed; the program and its descendants were killed
     * @throws IOException      the program could not be started
     */
    static Result run(List<String> command, Map<String, String> env, int maxOutput, long deadlineNanos)
            throws IOException, TimeoutException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(NULL_FILE))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> out = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] kept = in.readNBytes(maxOutput);
                in.transferTo(OutputStream.nullOutputStream()); // never blocks a chatty program
                out.complete(kept);
            } catch (IOException | RuntimeException e) {
                out.completeExceptionally(e);
            }
        }, "quire-host-process-output");
        reader.setDaemon(true);
        reader.start();
        boolean done = false;
        try {
            if (!p.waitFor(remaining(deadlineNanos), TimeUnit.NANOSECONDS)) throw new TimeoutException("did not exit");
            byte[] stdout = out.get(remaining(deadlineNanos), TimeUnit.NANOSECONDS); // a child may hold the pipe
            done = true;
            return new Result(p.exitValue(), new String(stdout, StandardCharsets.UTF_8));
        } catch (ExecutionException e) {
            throw new IOException("reading the output of " + command.get(0) + " failed: " + e.getCause(), e.getCause());
        } finally {
            if (!done) killTree(p);
        }
    }

    private static long remaining(long deadlineNanos) {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }

    /** Descendants first (they are no longer found once their parent is gone), then the program itself. */
    private static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.getInputStream().close();
        } catch (IOException ignored) {
            // the reader thread ends with the pipe
        }
    }
}
