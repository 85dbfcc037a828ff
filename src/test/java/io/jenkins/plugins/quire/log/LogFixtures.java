package io.jenkins.plugins.quire.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the log tests: a fixed clock, file reading, and joining output events back into bytes. */
final class LogFixtures {
    static final Instant T0 = Instant.parse("2026-11-29T20:40:01.123Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    private LogFixtures() {}

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Concatenated bytes of the output events of one stream (and sh n). */
    static byte[] joined(List<LogEvent> events, OutputKind stream) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (LogEvent e : events) {
            if (e instanceof LogEvent.Output o && o.stream() == stream) out.writeBytes(o.bytes());
        }
        return out.toByteArray();
    }

    static List<LogEvent.Output> outputs(List<LogEvent> events) {
        List<LogEvent.Output> out = new ArrayList<>();
        for (LogEvent e : events) if (e instanceof LogEvent.Output o) out.add(o);
        return out;
    }

    /** Feeds {@code data} to stdout of sh 1 in the given chunk sizes (cycled), then ends the sh. */
    static void feed(JobLog job, OutputKind stream, byte[] data, int[] cuts) {
        int pos = 0;
        int i = 0;
        while (pos < data.length) {
            int len = Math.min(data.length - pos, Math.max(1, cuts[i++ % cuts.length]));
            job.output(stream, 1, data, pos, len);
            pos += len;
        }
    }
}
