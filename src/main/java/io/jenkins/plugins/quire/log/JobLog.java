package io.jenkins.plugins.quire.log;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * The log of one job, {@code <logs>/jobs/<id>/log.jsonl}: {@code sh-start}, {@code stdout}/{@code stderr} chunks
 * and {@code sh-exit}. Each output stream keeps its own redaction hold-back and UTF-8 carry (see
 * {@link OutputPipeline}); both are flushed before {@code sh-exit}, at the next {@code sh-start}, at
 * {@code job-end} and at close. Thread-safe: stdout and stderr may be written from two threads at once. Every
 * method waits until its event is on disk, except {@link #outputLater}, which only queues the output for the run's
 * writer thread (see {@link RunLog}).
 */
public final class JobLog {
    /** Largest output chunk written as one event (64 KiB, see docs/log-format.md). */
    public static final int MAX_CHUNK = 64 * 1024;

    private final RunLog run;
    private final String id;
    private final Path path;
    private JsonlFile file;
    /** Set on the writer thread once {@link #file} exists: from then on {@code sh-start} needs no wait. */
    private volatile boolean opened;
    private final OutputPipeline[] pipes = new OutputPipeline[OutputKind.values().length];
    private final int[] pipeN = new int[OutputKind.values().length];
    /** Why queued output could not be written (the first failure); later output is refused with it. */
    private volatile LogWriteException failure;

    JobLog(RunLog run, String id, Path path) {
        this.run = run;
        this.id = id;
        this.path = path;
    }

    public String id() {
        return id;
    }

    /** {@code <logs>/jobs/<id>/log.jsonl} (exists once the first event was written). */
    public Path file() {
        return path;
    }

    /**
     * An {@code sh} (number {@code n}, 1-based within the job) starts; {@code cmd} is its display form. The job's
     * first event waits until it is written (creating the file is where a bad log folder shows); later ones are only
     * queued, so the command starts while its {@code sh-start} is written (a failure is kept like that of queued
     * output: the {@code sh-exit}, which waits, and later output are refused with it).
     */
    public void shStart(int n, String cmd) {
        LogEvent e = new LogEvent.ShStart(run.now(), n, run.redactor().redact(cmd == null ? "" : cmd));
        LogWriteException f = failure;
        if (f != null) throw f;
        if (!opened) {
            run.call(path, e.kind(), () -> {
                flushStreams(e.ts());
                write(e);
                file.flush();
            });
            return;
        }
        run.submit(path, e.kind(), 0, () -> {
            if (failure != null) return;
            try {
                flushStreams(e.ts());
                write(e);
            } catch (LogWriteException ex) {
                failed(ex);
            }
        });
    }

    /** A chunk of stdout of sh {@code n}, as read from the pipe (any size; a character may be cut). */
    public void stdout(int n, byte[] b, int off, int len) {
        output(OutputKind.STDOUT, n, b, off, len);
    }

    /** A chunk of stderr of sh {@code n}. */
    public void stderr(int n, byte[] b, int off, int len) {
        output(OutputKind.STDERR, n, b, off, len);
    }

    /**
     * A chunk of either stream, written before this returns. Chunks above {@value #MAX_CHUNK} bytes are written
     * as several events.
     */
    public void output(OutputKind stream, int n, byte[] b, int off, int len) {
        Instant ts = run.now();
        run.call(path, stream.wireName(), () -> {
            push(stream, n, ts, b, off, len);
            if (file != null) file.flush();
        });
    }

    /**
     * A chunk of either stream, copied and queued for the run's writer thread: it is redacted, encoded and written
     * there, after everything queued before it and before any later event of this job. Blocks while the run's
     * queue is full. Throws {@link LogWriteException} when the log is closed or earlier output of this job could not
     * be written (the output is then lost, and the caller should stop the command).
     */
    public void outputLater(OutputKind stream, int n, byte[] b, int off, int len) {
        LogWriteException f = failure;
        if (f != null) throw f;
        queue(stream, n, Arrays.copyOfRange(b, off, off + len), 0, len);
    }

    /**
     * As {@link #outputLater}, without the copy: the caller hands {@code b} over and never writes to it again (the
     * exec streams' chunks, fresh arrays, are queued as they are).
     */
    public void outputHandedOver(OutputKind stream, int n, byte[] b, int off, int len) {
        queue(stream, n, b, off, len);
    }

    private void queue(OutputKind stream, int n, byte[] b, int off, int len) {
        LogWriteException f = failure;
        if (f != null) throw f;
        Instant ts = run.now();
        run.submit(path, stream.wireName(), len, () -> {
            if (failure != null) return;
            try {
                push(stream, n, ts, b, off, len);
            } catch (LogWriteException e) {
                failed(e);
            }
        });
    }

    /** Records the first failure of queued output. */
    void failed(LogWriteException e) {
        if (failure == null) failure = e;
    }

    /** On the writer thread. */
    private void push(OutputKind stream, int n, Instant ts, byte[] b, int off, int len) {
        if (run.isClosed()) throw closed(stream.wireName());
        OutputPipeline pipe = pipe(stream, n, ts);
        OutputPipeline.Sink sink = sink(stream, n, ts);
        do {
            int piece = Math.min(len, MAX_CHUNK);
            pipe.push(b, off, piece, sink);
            off += piece;
            len -= piece;
        } while (len > 0);
    }

    /**
     * An {@code sh} ended: flushes both streams (held-back bytes, partial characters as base64), then writes
     * {@code sh-exit}. {@code exit} may be null (e.g. killed before an exit code); {@code signal} (e.g.
     * {@code SIGKILL}) is set when the command was killed, else null.
     */
    public void shExit(int n, Integer exit, long durationMs, String signal) {
        shExit(n, exit, durationMs, signal, false);
    }

    /** As {@link #shExit(int, Integer, long, String)}, with {@code oom} when the kernel killed it for memory. */
    public void shExit(int n, Integer exit, long durationMs, String signal, boolean oom) {
        LogEvent e = new LogEvent.ShExit(run.now(), n, exit, durationMs, signal, oom);
        run.call(path, e.kind(), () -> {
            flushStreams(e.ts());
            write(e);
            file.flush();
        });
    }

    /**
     * On the writer thread: writes what the streams hold back, stamped {@code ts}, and the file's buffer; nothing
     * when queued output of this job failed already.
     */
    void flushStreams(Instant ts) {
        if (failure != null) { // queued output already failed (and was reported): what the streams hold is lost
            Arrays.fill(pipes, null);
            return;
        }
        for (OutputKind k : OutputKind.values()) {
            OutputPipeline p = pipes[k.ordinal()];
            if (p == null) continue;
            pipes[k.ordinal()] = null;
            p.finish(sink(k, pipeN[k.ordinal()], ts));
        }
        if (file != null) file.flush();
    }

    JsonlFile fileIfOpen() {
        return file;
    }

    private OutputPipeline pipe(OutputKind k, int n, Instant ts) {
        int i = k.ordinal();
        if (pipes[i] != null && pipeN[i] != n) {
            OutputPipeline old = pipes[i];
            pipes[i] = null;
            old.finish(sink(k, pipeN[i], ts));
        }
        if (pipes[i] == null) {
            pipes[i] = new OutputPipeline(run.redactor());
            pipeN[i] = n;
        }
        return pipes[i];
    }

    private OutputPipeline.Sink sink(OutputKind k, int n, Instant ts) {
        return new OutputPipeline.Sink() {
            @Override
            public void text(String text, byte[] utf8, int off, int len) {
                openIfNeeded(k.wireName());
                run.writeOutput(file, id, new LogEvent.Output(ts, k, n, text, false), utf8, off, len);
            }

            @Override
            public void bytes(byte[] raw) {
                write(new LogEvent.Output(ts, k, n, Base64.getEncoder().encodeToString(raw), true));
            }
        };
    }

    private LogWriteException closed(String kind) {
        return RunLog.closedError(path, kind);
    }

    private void write(LogEvent e) {
        openIfNeeded(e.kind());
        run.write(file, id, e);
    }

    private void openIfNeeded(String kind) {
        if (file == null) {
            if (run.isClosed()) throw closed(kind);
            file = new JsonlFile(path, create -> run.folder().openJobFile(id, create));
            opened = true;
        }
    }
}
