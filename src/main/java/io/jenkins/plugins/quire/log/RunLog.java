package io.jenkins.plugins.quire.log;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The logs of one run (docs/log-format.md): {@code <logs>/log.jsonl} plus {@code <logs>/jobs/<id>/log.jsonl} per job.
 * Every free-text value is redacted with the run's {@link Redactor} before it is written; each event is written as
 * one line, then handed to the {@link LogListener}s (the console formatter), so the console and the JSONL see the
 * same redacted stream (a listener that throws is detached, see {@link #listenerFailures}, and the logs go on).
 *
 * <p>All writing happens on the run's one {@link LogWriter} thread, in the order the calls were made. The methods
 * here (and {@link JobLog}'s, except {@link JobLog#outputLater}) wait until their event is written and on disk and
 * throw {@link LogWriteException} naming the file when it could not be; {@link JobLog#outputLater} only queues its
 * output (bounded: it blocks while the queue is full) so the thread reading a pipe never encodes or writes.
 * All methods are thread-safe; {@link #close} writes everything queued first.
 */
public final class RunLog implements Closeable {
    private static final Logger LOG = Logger.getLogger(RunLog.class.getName());

    /** Guards {@link #jobs}; everything else is touched only on the writer thread. */
    final Object lock = new Object();
    private final LogStore folder;
    private final Path dir;
    private final Redactor redactor;
    private final Clock clock;
    private final JsonlFile runFile;
    private final Map<String, JobLog> jobs = new LinkedHashMap<>();
    private final List<LogListener> listeners = new CopyOnWriteArrayList<>();
    private final List<RuntimeException> listenerFailures = new ArrayList<>();
    private final ByteBuf line = new ByteBuf(64 * 1024 + 1024);
    private final LogWriter writer;
    private volatile boolean closed;

    private RunLog(LogStore folder, Redactor redactor, Clock clock, int maxQueuedBytes) {
        this.folder = folder;
        this.dir = folder.directory();
        this.redactor = redactor;
        this.clock = clock;
        this.runFile = new JsonlFile(LogPaths.runFile(dir), folder::openRunFile);
        this.writer = new LogWriter("quire-log-writer " + dir, maxQueuedBytes, this::flushQuietly);
    }

    /**
     * Creates the folders of these jobs now, before the run's container starts (see {@link LogsFolder}); the logs
     * are opened before ci.fnl is read, so the job ids come later.
     */
    public void declareJobs(Collection<String> jobIds) throws IOException {
        folder.declare(jobIds);
    }

    LogStore folder() {
        return folder;
    }

    /**
     * Opens the logs of a new run in {@code logsDir} (created if needed). A previous run's {@code log.jsonl} and
     * {@code jobs/} there are removed (links removed, never followed), so the folder never mixes two runs; other
     * files are left alone. Job folders are created as jobs first write; a run uses
     * {@link #open(Path, Path, Collection, Redactor, Clock)} instead.
     */
    public static RunLog open(Path logsDir, Redactor redactor) throws IOException {
        return open(logsDir, redactor, Clock.systemUTC());
    }

    /** As {@link #open(Path, Redactor)} with the clock that stamps {@code ts} (tests use a fixed one). */
    public static RunLog open(Path logsDir, Redactor redactor, Clock clock) throws IOException {
        return open(logsDir, null, List.of(), redactor, clock);
    }

    /** As {@link #open(Path, Path, Collection, Redactor, Clock)} with the system clock. */
    public static RunLog open(Path logsDir, Path workspace, Collection<String> jobIds, Redactor redactor)
            throws IOException {
        return open(logsDir, workspace, jobIds, redactor, Clock.systemUTC());
    }

    /**
     * Opens the logs of a run before its container starts: {@code logsDir} is made fresh and the folder of each of
     * {@code jobIds} is created now, so that nothing the container does to the folder later (it can write it when
     * it lies in {@code workspace}) makes the host write or delete a file outside it (see {@link LogsFolder}).
     *
     * @param workspace the folder mounted into the container, or null
     * @throws IOException naming the path at fault
     */
    public static RunLog open(Path logsDir, Path workspace, Collection<String> jobIds, Redactor redactor,
            Clock clock) throws IOException {
        return open(logsDir, workspace, jobIds, redactor, clock, LogWriter.DEFAULT_MAX_QUEUED_BYTES);
    }

    /** As above, with the bound of the output bytes queued for writing (tests use a small one). */
    static RunLog open(Path logsDir, Path workspace, Collection<String> jobIds, Redactor redactor, Clock clock,
            int maxQueuedBytes) throws IOException {
        return open(LogsFolder.prepare(logsDir, workspace, jobIds), redactor, clock, maxQueuedBytes);
    }

    /**
     * Opens the logs of a run in {@code store} (on an agent: a {@link StreamedLogStore} whose files are written on
     * the controller); the store is closed with the log, or now when opening fails.
     */
    public static RunLog open(LogStore store, Redactor redactor) throws IOException {
        return open(store, redactor, Clock.systemUTC(), LogWriter.DEFAULT_MAX_QUEUED_BYTES);
    }

    static RunLog open(LogStore folder, Redactor redactor, Clock clock, int maxQueuedBytes)
            throws IOException {
        try {
            return new RunLog(folder, redactor, clock, maxQueuedBytes);
        } catch (LogWriteException e) {
            try {
                folder.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IOException(e.getMessage(), e.getCause());
        }
    }

    /** Adds an observer of the redacted events (e.g. a {@link ConsoleFormatter}). */
    public void addListener(LogListener listener) {
        listeners.add(listener);
    }

    public Redactor redactor() {
        return redactor;
    }

    /** The logs folder. */
    public Path directory() {
        return dir;
    }

    /** The run file, {@code <logs>/log.jsonl}. */
    public Path runFile() {
        return runFile.path();
    }

    /**
     * The log of job {@code id} (the same object for the same id). Its file {@code jobs/<id>/log.jsonl} is created
     * at its first event, so skipped jobs get none. {@code id} must be path-safe: segments of
     * {@code [A-Za-z0-9_.-]+} (not {@code .} or {@code ..}) separated by {@code /} (so {@code quire/push} works).
     */
    public JobLog job(String id) {
        checkJobId(id);
        synchronized (lock) {
            return jobs.computeIfAbsent(id, k -> new JobLog(this, k, LogPaths.jobFile(dir, k)));
        }
    }

    /**
     * Records the validated pipeline (see {@link LogEvent.Pipeline}): jobs in registration order with their inputs,
     * and the most jobs that run at once.
     */
    public void pipeline(List<LogEvent.PipelineJob> jobs, int parallel) {
        for (LogEvent.PipelineJob j : jobs) checkJobId(j.job());
        emitRun(new LogEvent.Pipeline(now(), jobs, parallel));
    }

    /** Records how the run's commands reach the container ("agent" or "docker") and why, when not the agent. */
    public void execMode(String mode, String reason) {
        // not under the lock: the event is written by the log's writer thread, which takes it
        emitRun(new LogEvent.ExecMode(now(), orUnknown(mode), reason == null ? null : redactor.redact(reason)));
    }

    /** Records a cache mounted in the run's container (see {@link LogEvent.CacheMount}). */
    public void cacheMount(String path, String mount, String volume, boolean created) {
        emitRun(new LogEvent.CacheMount(now(), redactor.redact(orUnknown(path)), redactor.redact(orUnknown(mount)),
                orUnknown(volume), created));
    }

    public void containerStart(String image, String containerId) {
        emitRun(new LogEvent.ContainerStart(now(), redactor.redact(orUnknown(image)),
                redactor.redact(orUnknown(containerId))));
    }

    public void containerDied(String reason) {
        emitRun(new LogEvent.ContainerDied(now(), redactor.redact(orUnknown(reason))));
    }

    public void containerEnd(String status) {
        emitRun(new LogEvent.ContainerEnd(now(), redactor.redact(orUnknown(status))));
    }

    public void jobStart(String job) {
        checkJobId(job);
        emitRun(new LogEvent.JobStart(now(), job));
    }

    /**
     * Records the end of a job. Any output still held by that job's streams is flushed first.
     *
     * @param error the failure message, or the skip reason ({@code upstream 'x' failed}); null when none
     * @param outputs the job's outputs as any JSON value, redacted recursively; null when none
     */
    public void jobEnd(String job, JobState state, long durationMs, String error, JsonNode outputs) {
        checkJobId(job);
        Objects.requireNonNull(state, "job-end needs a state");
        LogEvent e = new LogEvent.JobEnd(now(), job, state, durationMs, redactor.redact(error),
                redactor.redact(outputs));
        JobLog j;
        synchronized (lock) {
            j = jobs.get(job);
        }
        call(runFile.path(), e.kind(), () -> {
            if (j != null && !closed) j.flushStreams(e.ts());
            write(runFile, null, e);
            runFile.flush();
        });
    }

    /** Records the end of the run; it should be the last event before {@link #close}. */
    public void runEnd(RunStatus status, long durationMs) {
        runEnd(status, durationMs, null);
    }

    /**
     * Records the end of the run with why it could not start or ended early (redacted; null when it ran its jobs).
     */
    public void runEnd(RunStatus status, long durationMs, String reason) {
        Objects.requireNonNull(status, "run-end needs a status");
        emitRun(new LogEvent.RunEnd(now(), status, durationMs, redactor.redact(reason)));
    }

    /**
     * Flushes every stream still holding output, then closes all files. Idempotent. Later writes throw
     * {@link LogWriteException}; what was written stays. If a flush or close fails, the other files are still
     * closed and the first failure is thrown.
     */
    @Override
    public void close() {
        writer.close(this::closeFiles);
    }

    /** On the writer thread, after everything queued before it. */
    private void closeFiles() {
        if (closed) return;
        RuntimeException first = null;
        List<JobLog> all;
        synchronized (lock) {
            all = new ArrayList<>(jobs.values());
        }
        for (JobLog j : all) {
            try {
                j.flushStreams(now());
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        closed = true;
        List<JsonlFile> files = new ArrayList<>();
        files.add(runFile);
        for (JobLog j : all) if (j.fileIfOpen() != null) files.add(j.fileIfOpen());
        for (JsonlFile f : files) {
            try {
                f.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        try {
            folder.close();
        } catch (IOException e) {
            if (first == null) {
                first = new LogWriteException(dir, "closing the logs folder failed: " + IoErrors.describe(e), e);
            }
        }
        if (first != null) throw first;
    }

    java.time.Instant now() {
        return Timestamps.now(clock);
    }

    boolean isClosed() {
        return closed;
    }

    /** Writes a run event and waits until it is on disk. */
    private void emitRun(LogEvent e) {
        call(runFile.path(), e.kind(), () -> {
            write(runFile, null, e);
            runFile.flush();
        });
    }

    /**
     * Runs {@code task} on the writer thread after everything queued before it and waits for it; throws what it
     * threw, or that the log ({@code file}) is closed.
     */
    void call(Path file, String kind, LogWriter.Task task) {
        if (!writer.call(task)) throw closedError(file, kind);
    }

    /** Queues {@code task}, which carries {@code bytes} of output; blocks while the queue is full. */
    void submit(Path file, String kind, int bytes, LogWriter.Task task) {
        if (!writer.submit(task, bytes)) throw closedError(file, kind);
    }

    static LogWriteException closedError(Path file, String kind) {
        return new LogWriteException(file, "the log is closed (" + kind + " after close)", null);
    }

    LogWriter writer() {
        return writer;
    }

    /** When the writer has nothing more to do: writes every file's buffered lines (a failure stays with its file). */
    private void flushQuietly() {
        if (closed) return;
        List<JobLog> all;
        synchronized (lock) {
            all = new ArrayList<>(jobs.values());
        }
        try {
            runFile.flush();
        } catch (LogWriteException e) {
            // reported at the run file's next write
        }
        for (JobLog j : all) {
            JsonlFile f = j.fileIfOpen();
            if (f == null) continue;
            try {
                f.flush();
            } catch (LogWriteException e) {
                j.failed(e);
            }
        }
    }

    /** Writes one event to {@code file} and notifies listeners. Runs on the writer thread. */
    void write(JsonlFile file, String job, LogEvent e) {
        if (closed) throw closedError(file.path(), e.kind());
        line.clear();
        EventCodec.encode(e, line);
        append(file, job, e);
    }

    /**
     * As {@link #write} for a text output event whose data was decoded from the valid UTF-8 {@code utf8[off,
     * off+len)}: the line is escaped from those bytes, not encoded again from the text (the same bytes, EventCodecTest).
     */
    void writeOutput(JsonlFile file, String job, LogEvent.Output e, byte[] utf8, int off, int len) {
        if (closed) throw closedError(file.path(), e.kind());
        line.clear();
        EventCodec.encodeOutput(e, utf8, off, len, line);
        append(file, job, e, utf8, off, len);
    }

    private void append(JsonlFile file, String job, LogEvent e) {
        append(file, job, e, null, 0, 0);
    }

    /** Writes {@link #line} and hands {@code e} to the listeners, with its text's UTF-8 bytes when {@code utf8} is set. */
    private void append(JsonlFile file, String job, LogEvent e, byte[] utf8, int off, int len) {
        file.append(line);
        for (LogListener l : listeners) {
            try {
                if (utf8 != null) l.onOutput(job, (LogEvent.Output) e, utf8, off, len);
                else l.onEvent(job, e);
            } catch (RuntimeException ex) {
                // A broken console must not stop the JSONL (the source of truth) or the run: detach it, keep why.
                listeners.remove(l);
                synchronized (listenerFailures) {
                    listenerFailures.add(ex);
                }
                LOG.log(Level.WARNING, "log listener " + l + " failed on " + e.kind() + "; detached", ex);
            }
        }
    }

    /** Failures of listeners, each of which was detached after failing (empty when all went well). */
    public List<RuntimeException> listenerFailures() {
        synchronized (listenerFailures) {
            return List.copyOf(listenerFailures);
        }
    }

    /** Required text fields are never written as null (a reader would reject the line). */
    static String orUnknown(String s) {
        return s == null ? "unknown" : s;
    }

    private static void checkJobId(String id) {
        LogPaths.checkJobId(id);
    }
}
