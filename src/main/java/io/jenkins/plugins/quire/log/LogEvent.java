package io.jenkins.plugins.quire.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Base64;

/**
 * The events of the JSONL logs (docs/log-format.md), one record per {@code kind}. Values held here are already redacted
 * when they come from {@link RunLog}; {@link JsonlReader} returns the same records. Field order on disk is
 * {@code ts}, {@code kind}, then the record's components in declaration order (see {@link EventCodec}).
 */
public sealed interface LogEvent {
    /** When the event was recorded, millisecond precision. */
    Instant ts();

    /** The JSONL {@code kind} value. */
    String kind();

    /** Job file: an {@code sh} is about to run; {@code cmd} is its display form. */
    record ShStart(Instant ts, int n, String cmd) implements LogEvent {
        @Override
        public String kind() {
            return "sh-start";
        }
    }

    /**
     * Job file: a chunk of {@code stdout} or {@code stderr}. {@code data} is the text, or the base64 of the raw
     * bytes when {@code base64} (written as {@code "encoding":"base64"}) because they were not valid UTF-8.
     */
    record Output(Instant ts, OutputKind stream, int n, String data, boolean base64) implements LogEvent {
        @Override
        public String kind() {
            return stream.wireName();
        }

        /** The exact bytes of the chunk (after redaction). */
        public byte[] bytes() {
            return base64 ? Base64.getDecoder().decode(data) : data.getBytes(StandardCharsets.UTF_8);
        }

        /** Text for display: {@code data}, or the base64 bytes decoded leniently (invalid bytes become U+FFFD). */
        public String text() {
            return base64 ? new String(bytes(), StandardCharsets.UTF_8) : data;
        }
    }

    /**
     * Job file: an {@code sh} ended; {@code exit} may be null, {@code signal} is set when it was killed, and
     * {@code oom} when the kernel killed it (or one of its processes) for lack of memory.
     */
    record ShExit(Instant ts, int n, Integer exit, long durationMs, String signal, boolean oom) implements LogEvent {
        public ShExit(Instant ts, int n, Integer exit, long durationMs, String signal) {
            this(ts, n, exit, durationMs, signal, false);
        }

        @Override
        public String kind() {
            return "sh-exit";
        }
    }

    /** Run file: the run's container is up. */
    record ContainerStart(Instant ts, String image, String containerId) implements LogEvent {
        @Override
        public String kind() {
            return "container-start";
        }
    }

    /** Run file: the container died under a running job. */
    record ContainerDied(Instant ts, String reason) implements LogEvent {
        @Override
        public String kind() {
            return "container-died";
        }
    }

    /** Run file: the container was torn down. */
    record ContainerEnd(Instant ts, String status) implements LogEvent {
        @Override
        public String kind() {
            return "container-end";
        }
    }

    /**
     * Run file: the validated pipeline, written once before the container starts: every job in registration order
     * with its inputs (job ids or source refs such as {@code quire/push}), and how many jobs may run at once. The
     * page draws the job graph from it; the console sizes its {@code job |} column from it.
     */
    record Pipeline(Instant ts, List<PipelineJob> jobs, int parallel) implements LogEvent {
        public Pipeline {
            jobs = List.copyOf(jobs);
        }

        @Override
        public String kind() {
            return "pipeline";
        }
    }

    /**
     * Run file: how the run's {@code sh} commands reach the container (docs/exec-agent.md): {@code agent} or
     * {@code docker}, with the reason when it is not the agent; written once the container has started, and again
     * when the run falls back to plain {@code docker exec} mid-run.
     */
    record ExecMode(Instant ts, String mode, String reason) implements LogEvent {
        @Override
        public String kind() {
            return "exec-mode";
        }
    }

    /**
     * Run file: a cache mounted in the run's container (README, Caches): the declared path, where it was mounted, the
     * Docker volume, and whether this run created the volume (empty) or reused one. Written after container-start.
     */
    record CacheMount(Instant ts, String path, String mount, String volume, boolean created) implements LogEvent {
        @Override
        public String kind() {
            return "cache-mount";
        }
    }

    /** One job of a {@link Pipeline} event: its id and its inputs in declaration order. */
    record PipelineJob(String job, List<String> inputs) {
        public PipelineJob {
            inputs = List.copyOf(inputs);
        }
    }

    /** Run file: a job's run-fn is about to be called. */
    record JobStart(Instant ts, String job) implements LogEvent {
        @Override
        public String kind() {
            return "job-start";
        }
    }

    /**
     * Run file: a job ended. {@code error} is the failure message (failed) or the skip reason (skipped, e.g.
     * {@code upstream 'x' failed}); {@code outputs} is any JSON value. Both are null when absent.
     */
    record JobEnd(Instant ts, String job, JobState state, long durationMs, String error, JsonNode outputs)
            implements LogEvent {
        @Override
        public String kind() {
            return "job-end";
        }
    }

    /**
     * Run file: always the last event of a run. {@code reason} says why a run that could not start or ended early
     * did so (invalid pipeline, no engine, missing image, container death, abort); null for a run that ran its jobs.
     */
    record RunEnd(Instant ts, RunStatus status, long durationMs, String reason) implements LogEvent {
        public RunEnd(Instant ts, RunStatus status, long durationMs) {
            this(ts, status, durationMs, null);
        }

        @Override
        public String kind() {
            return "run-end";
        }
    }

    /** A well-formed line whose {@code kind} this version does not know; kept whole for forward compatibility. */
    record Unknown(Instant ts, String kind, ObjectNode fields) implements LogEvent {}
}
