package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.DockerEngineExtension;
import io.jenkins.plugins.quire.container.DockerTestSupport;
import io.jenkins.plugins.quire.log.JobState;
import io.jenkins.plugins.quire.log.JsonlReader;
import io.jenkins.plugins.quire.log.LogEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job log that cannot be written any further, as on a full disk: the runner runs as a real process under a file
 * size limit ({@code ulimit -f}), so the kernel refuses its writes past 1 MiB with {@code EFBIG}. The log's writer
 * thread meets the failure; the job still fails with a clear error naming the file, the rest of the run is
 * recorded, and the lines written before the failure stay readable.
 */
class LogFileTooLargeIT {
    private static final String LINE = "0123456789abcdefghi\n";

    @TempDir Path ws;

    @RegisterExtension
    static final DockerEngineExtension DOCKER = new DockerEngineExtension("cli");

    @Test
    void aJobLogThatCannotGrowFailsTheJobNamingTheFileAndKeepsWhatWasWritten() throws Exception {
        Files.createDirectories(ws.resolve(".quire"));
        Files.writeString(ws.resolve(".quire/ci.fnl"), "(local ci (require :quire.ci))\n"
                + "(ci.job :big [:quire/push]\n"
                + "  (fn [{: sh}]\n"
                + "    (sh \"yes " + LINE.trim() + " | head -c 4000000\")\n"
                + "    (sh \"echo never\")\n"
                + "    {:ok true}))\n"
                + "(ci.job :after [:big] (fn [{: sh}] (sh \"echo after\") {}))\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // 1024 blocks of 1 KiB: every file the runner writes may grow to 1 MiB (its stdout is a pipe, not limited)
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "ulimit -f 1024 && exec \"$@\"", "bash", java, "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "run", "--workspace", ws.toString(),
                "--image", DockerTestSupport.BUSYBOX, "--logs", "logs").directory(ws.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        String out = drain(p.getInputStream());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the run did not end");
        Path jobFile = ws.resolve("logs/jobs/big/log.jsonl");
        assertEquals(ExitCodes.FAILED, p.exitValue(), err.get() + "\n" + tail(out));

        List<LogEvent> run = JsonlReader.readAll(ws.resolve("logs/log.jsonl"));
        LogEvent.JobEnd big = jobEnd(run, "big");
        assertEquals(JobState.FAILED, big.state());
        assertTrue(big.error().contains("cannot write log " + jobFile), big.error());
        assertTrue(big.error().contains("File too large"), big.error());
        assertEquals(JobState.SKIPPED, jobEnd(run, "after").state());
        assertEquals("run-end", run.get(run.size() - 1).kind());
        assertTrue(out.contains("cannot write log " + jobFile), tail(out));
        assertFalse(err.get().contains("Exception"), err.get());

        // what was written stays: whole lines (a torn last line is skipped by the reader), the output a prefix
        List<LogEvent> job = JsonlReader.readAll(jobFile);
        assertTrue(Files.size(jobFile) <= 1024 * 1024, Files.size(jobFile) + " bytes");
        assertEquals(new LogEvent.ShStart(job.get(0).ts(), 1, "yes " + LINE.trim() + " | head -c 4000000"),
                job.get(0));
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        for (LogEvent e : job.subList(1, job.size())) written.writeBytes(((LogEvent.Output) e).bytes());
        String text = written.toString(StandardCharsets.UTF_8);
        assertTrue(text.length() > 512 * 1024, "only " + text.length() + " bytes of output kept");
        assertEquals(LINE.repeat(text.length() / LINE.length() + 1).substring(0, text.length()), text);
    }

    private static LogEvent.JobEnd jobEnd(List<LogEvent> run, String job) {
        for (LogEvent e : run) if (e instanceof LogEvent.JobEnd j && j.job().equals(job)) return j;
        throw new AssertionError("no job-end for " + job + " in " + run);
    }

    private static String drain(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
