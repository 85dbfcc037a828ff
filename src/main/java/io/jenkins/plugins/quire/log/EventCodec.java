package io.jenkins.plugins.quire.log;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns events into JSONL lines and back. The field order is fixed and documented here:
 * <pre>
 * sh-start        {"ts","kind","n","cmd"}
 * stdout|stderr   {"ts","kind","n","data"[,"encoding":"base64"]}
 * sh-exit         {"ts","kind","n","exit","duration_ms"[,"signal"][,"oom"]} exit may be null; oom only as true
 * pipeline        {"ts","kind","jobs":[{"job","inputs":[...]}...],"parallel"}
 * container-start {"ts","kind","image","container-id"}
 * exec-mode       {"ts","kind","mode"[,"reason"]}
 * cache-mount     {"ts","kind","path","mount","volume","created"}
 * container-died  {"ts","kind","reason"}
 * container-end   {"ts","kind","status"}
 * job-start       {"ts","kind","job"}
 * job-end         {"ts","kind","job","state","duration_ms"[,"error"][,"outputs"]}
 * run-end         {"ts","kind","status","duration_ms"[,"reason"]}
 * </pre>
 */
final class EventCodec {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private EventCodec() {}

    /** Appends {@code e} as one JSON object plus {@code \n} ({@link LogEvent.Unknown} is only read, never written). */
    static void encode(LogEvent e, ByteBuf out) {
        if (e instanceof LogEvent.Output o) encodeOutput(o, out);
        else encodeWithGenerator(e, out);
    }

    /**
     * The output events (nearly all of a busy log's bytes) written directly, byte for byte what the generator
     * writes for them (EventCodecTest compares the two).
     */
    private static void encodeOutput(LogEvent.Output o, ByteBuf out) {
        encodeOutput(o, null, 0, 0, out);
    }

    /**
     * As {@link #encode} for a text output event, its data escaped from {@code utf8[off, off+len)}, the valid UTF-8
     * its text was decoded from (null: from the text); the same bytes either way.
     */
    static void encodeOutput(LogEvent.Output o, byte[] utf8, int off, int len, ByteBuf out) {
        out.appendAscii("{\"ts\":\"");
        out.appendAscii(Timestamps.format(o.ts()));
        out.appendAscii("\",\"kind\":\"");
        out.appendAscii(o.kind());
        out.appendAscii("\",\"n\":");
        out.appendAscii(Integer.toString(o.n()));
        out.appendAscii(",\"data\":");
        if (utf8 != null && !o.base64()) JsonEscaper.appendUtf8(utf8, off, len, out);
        else JsonEscaper.appendString(o.data(), out);
        if (o.base64()) out.appendAscii(",\"encoding\":\"base64\"");
        out.write('}');
        out.write('\n');
    }

    /** {@link #encode} through Jackson's generator: every event but output, and output in tests. */
    static void encodeWithGenerator(LogEvent e, ByteBuf out) {
        try (JsonGenerator g = MAPPER.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("ts", Timestamps.format(e.ts()));
            g.writeStringField("kind", e.kind());
            if (e instanceof LogEvent.ShStart s) {
                g.writeNumberField("n", s.n());
                g.writeStringField("cmd", clean(s.cmd()));
            } else if (e instanceof LogEvent.Output o) {
                g.writeNumberField("n", o.n());
                g.writeFieldName("data");
                if (o.base64()) {
                    g.writeString(o.data());
                } else { // several times faster than writeString for 64 KiB chunks; escaping is the same
                    byte[] utf8 = o.data().getBytes(StandardCharsets.UTF_8);
                    g.writeUTF8String(utf8, 0, utf8.length);
                }
                if (o.base64()) g.writeStringField("encoding", "base64");
            } else if (e instanceof LogEvent.ShExit x) {
                g.writeNumberField("n", x.n());
                if (x.exit() == null) g.writeNullField("exit");
                else g.writeNumberField("exit", x.exit());
                g.writeNumberField("duration_ms", x.durationMs());
                if (x.signal() != null) g.writeStringField("signal", clean(x.signal()));
                if (x.oom()) g.writeBooleanField("oom", true);
            } else if (e instanceof LogEvent.Pipeline p) {
                g.writeArrayFieldStart("jobs");
                for (LogEvent.PipelineJob j : p.jobs()) {
                    g.writeStartObject();
                    g.writeStringField("job", j.job());
                    g.writeArrayFieldStart("inputs");
                    for (String in : j.inputs()) g.writeString(clean(in));
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeNumberField("parallel", p.parallel());
            } else if (e instanceof LogEvent.ExecMode m) {
                g.writeStringField("mode", clean(m.mode()));
                if (m.reason() != null) g.writeStringField("reason", clean(m.reason()));
            } else if (e instanceof LogEvent.CacheMount c) {
                g.writeStringField("path", clean(c.path()));
                g.writeStringField("mount", clean(c.mount()));
                g.writeStringField("volume", clean(c.volume()));
                g.writeBooleanField("created", c.created());
            } else if (e instanceof LogEvent.ContainerStart c) {
                g.writeStringField("image", clean(c.image()));
                g.writeStringField("container-id", clean(c.containerId()));
            } else if (e instanceof LogEvent.ContainerDied d) {
                g.writeStringField("reason", clean(d.reason()));
            } else if (e instanceof LogEvent.ContainerEnd c) {
                g.writeStringField("status", clean(c.status()));
            } else if (e instanceof LogEvent.JobStart j) {
                g.writeStringField("job", j.job());
            } else if (e instanceof LogEvent.JobEnd j) {
                g.writeStringField("job", j.job());
                g.writeStringField("state", j.state().wireName());
                g.writeNumberField("duration_ms", j.durationMs());
                if (j.error() != null) g.writeStringField("error", clean(j.error()));
                if (j.outputs() != null) {
                    g.writeFieldName("outputs");
                    MAPPER.writeTree(g, j.outputs());
                }
            } else if (e instanceof LogEvent.RunEnd r) {
                g.writeStringField("status", r.status().wireName());
                g.writeNumberField("duration_ms", r.durationMs());
                if (r.reason() != null) g.writeStringField("reason", clean(r.reason()));
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot encode " + e.kind() + " event", ex); // ByteBuf never fails
        }
        out.write('\n');
    }

    /** Parses one line (without its newline) into an event; the message of the exception says what is wrong. */
    static LogEvent decode(byte[] b, int off, int len) throws IOException {
        JsonNode tree = MAPPER.readTree(b, off, len);
        if (!(tree instanceof ObjectNode o)) throw new IOException("not a JSON object");
        Instant ts;
        try {
            ts = Timestamps.parse(text(o, "ts", true));
        } catch (DateTimeParseException ex) {
            throw new IOException("field 'ts' is not an RFC 3339 timestamp: " + o.get("ts").asText());
        }
        String kind = text(o, "kind", true);
        switch (kind) {
            case "sh-start":
                return new LogEvent.ShStart(ts, integer(o, "n"), text(o, "cmd", true));
            case "stdout":
            case "stderr": {
                String enc = text(o, "encoding", false);
                if (enc != null && !enc.equals("base64")) throw new IOException("unknown encoding '" + enc + "'");
                OutputKind k = kind.equals("stdout") ? OutputKind.STDOUT : OutputKind.STDERR;
                return new LogEvent.Output(ts, k, integer(o, "n"), text(o, "data", true), enc != null);
            }
            case "sh-exit": {
                JsonNode exit = o.get("exit");
                Integer code = exit == null || exit.isNull() ? null : integer(o, "exit");
                JsonNode oom = o.get("oom");
                return new LogEvent.ShExit(ts, integer(o, "n"), code, longValue(o, "duration_ms"),
                        text(o, "signal", false), oom != null && oom.asBoolean(false));
            }
            case "pipeline":
                return pipeline(ts, o);
            case "exec-mode":
                return new LogEvent.ExecMode(ts, text(o, "mode", true), text(o, "reason", false));
            case "cache-mount": {
                JsonNode created = o.get("created");
                return new LogEvent.CacheMount(ts, text(o, "path", true), text(o, "mount", true), text(o, "volume", true),
                        created != null && created.asBoolean(false));
            }
            case "container-start":
                return new LogEvent.ContainerStart(ts, text(o, "image", true), text(o, "container-id", true));
            case "container-died":
                return new LogEvent.ContainerDied(ts, text(o, "reason", true));
            case "container-end":
                return new LogEvent.ContainerEnd(ts, text(o, "status", true));
            case "job-start":
                return new LogEvent.JobStart(ts, text(o, "job", true));
            case "job-end": {
                String state = text(o, "state", true);
                JobState s = JobState.fromWire(state);
                if (s == null) throw new IOException("unknown job state '" + state + "'");
                return new LogEvent.JobEnd(ts, text(o, "job", true), s, longValue(o, "duration_ms"),
                        text(o, "error", false), o.get("outputs"));
            }
            case "run-end": {
                String status = text(o, "status", true);
                RunStatus s = RunStatus.fromWire(status);
                if (s == null) throw new IOException("unknown run status '" + status + "'");
                return new LogEvent.RunEnd(ts, s, longValue(o, "duration_ms"), text(o, "reason", false));
            }
            default:
                return new LogEvent.Unknown(ts, kind, o);
        }
    }

    private static LogEvent.Pipeline pipeline(Instant ts, ObjectNode o) throws IOException {
        JsonNode jobs = o.get("jobs");
        if (jobs == null || !jobs.isArray()) throw new IOException("field 'jobs' is missing or not an array");
        List<LogEvent.PipelineJob> list = new ArrayList<>();
        for (JsonNode j : jobs) {
            if (!(j instanceof ObjectNode jo)) throw new IOException("an entry of 'jobs' is not an object");
            JsonNode inputs = jo.get("inputs");
            if (inputs == null || !inputs.isArray()) throw new IOException("field 'inputs' is missing or not an array");
            List<String> in = new ArrayList<>();
            for (JsonNode i : inputs) {
                if (!i.isTextual()) throw new IOException("an input is not a string");
                in.add(i.textValue());
            }
            list.add(new LogEvent.PipelineJob(text(jo, "job", true), in));
        }
        return new LogEvent.Pipeline(ts, list, integer(o, "parallel"));
    }

    private static String text(ObjectNode o, String field, boolean required) throws IOException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new IOException("missing field '" + field + "'");
            return null;
        }
        if (!v.isTextual()) throw new IOException("field '" + field + "' is not a string");
        return v.textValue();
    }

    private static int integer(ObjectNode o, String field) throws IOException {
        JsonNode v = o.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber())
            throw new IOException("field '" + field + "' is missing or not an integer");
        return v.intValue();
    }

    private static long longValue(ObjectNode o, String field) throws IOException {
        JsonNode v = o.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong())
            throw new IOException("field '" + field + "' is missing or not an integer");
        return v.longValue();
    }

    /** Replaces unpaired surrogates (which cannot be written as UTF-8) with U+FFFD; returns s itself when clean. */
    static String clean(String s) {
        if (s == null) return null;
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = false;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    if (sb != null) sb.append(c).append(s.charAt(i + 1));
                    i++;
                    continue;
                }
                bad = true;
            } else if (Character.isLowSurrogate(c)) {
                bad = true;
            }
            if (bad && sb == null) sb = new StringBuilder(s.length()).append(s, 0, i);
            if (sb != null) sb.append(bad ? '\uFFFD' : c);
        }
        return sb == null ? s : sb.toString();
    }
}
