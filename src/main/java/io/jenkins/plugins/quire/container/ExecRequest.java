package io.jenkins.plugins.quire.container;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why: one command to run in the run's container, described with our own types. Immutable; the
 * {@code with*} methods return copies. Secrets belong in {@link #env()} only (never in argv: argv is
 * visible to {@code ps} and in Docker events).
 */
public final class ExecRequest {
    /** Longest exec timeout: far beyond any job timeout, and small enough for the nanosecond clock arithmetic. */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(365);
    /** Linux's MAX_ARG_STRLEN (32 pages) minus the NUL: execve refuses a longer argument or NAME=value with E2BIG. */
    public static final int MAX_STRING_BYTES = 131071;

    private final List<String> argv;
    private final Map<String, String> env;
    private final String workDir;
    private final Duration timeout;

    private ExecRequest(List<String> argv, Map<String, String> env, String workDir, Duration timeout) {
        this.argv = argv;
        this.env = env;
        this.workDir = workDir;
        this.timeout = timeout;
    }

    /** Runs argv as is (no shell). */
    public static ExecRequest argv(List<String> argv) {
        if (argv == null || argv.isEmpty()) throw new IllegalArgumentException("exec argv must not be empty");
        for (String a : argv) {
            if (a == null) throw new IllegalArgumentException("exec argv must not contain null: " + argv);
            if (a.indexOf('\0') >= 0) throw new IllegalArgumentException("exec argv must not contain NUL characters");
        }
        for (int i = 0; i < argv.size(); i++) {
            int bytes = argv.get(i).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_STRING_BYTES)
                throw new IllegalArgumentException("command argument " + (i + 1) + " is too long (" + bytes
                        + " bytes; the kernel accepts at most " + MAX_STRING_BYTES + " per argument)");
        }
        return new ExecRequest(List.copyOf(argv), Map.of(), WorkDirs.ROOT, null);
    }

    public static ExecRequest argv(String... argv) {
        return argv(List.of(argv));
    }

    /** Runs a command string through {@code sh -c}. */
    public static ExecRequest shell(String command) {
        if (command == null) throw new IllegalArgumentException("exec command must not be null");
        return argv(List.of("sh", "-c", command));
    }

    /** Extra environment variables for this exec only (on top of the image's). */
    public ExecRequest withEnv(Map<String, String> env) {
        Map<String, String> copy = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (k == null || k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0)
                throw new IllegalArgumentException("invalid environment variable name '" + (k == null ? null : k.replace('\0', '?')) + "'");
            if (v == null) throw new IllegalArgumentException("environment variable '" + k + "' has no value");
            if (v.indexOf('\0') >= 0)
                throw new IllegalArgumentException("environment variable '" + k + "' contains a NUL character");
            int bytes = (k + "=" + v).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_STRING_BYTES)
                throw new IllegalArgumentException("environment variable '" + (k.length() > 60 ? k.substring(0, 60) + "..." : k)
                        + "' is too long (" + bytes + " bytes as NAME=value; the kernel accepts at most "
                        + MAX_STRING_BYTES + " per variable)");
            if (k.equals(RunContainer.TOKEN_VARIABLE))
                throw new IllegalArgumentException("environment variable '" + k + "' is reserved");
            copy.put(k, v);
        });
        return new ExecRequest(argv, Collections.unmodifiableMap(copy), workDir, timeout);
    }

    /**
     * Working directory: {@code /work} or a directory inside it; a relative path resolves against {@code /work}.
     * @throws IllegalArgumentException for anything outside {@code /work}
     */
    public ExecRequest withWorkDir(String dir) {
        return new ExecRequest(argv, env, WorkDirs.resolve(dir), timeout);
    }

    /** Wall-clock limit; null or zero = none. When it expires the whole process tree is killed. */
    public ExecRequest withTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) throw new IllegalArgumentException("exec timeout must not be negative");
        if (timeout != null && timeout.compareTo(MAX_TIMEOUT) > 0)
            throw new IllegalArgumentException("exec timeout must be at most " + MAX_TIMEOUT.toDays() + " days, got " + timeout);
        return new ExecRequest(argv, env, workDir, timeout == null || timeout.isZero() ? null : timeout);
    }

    public List<String> argv() {
        return argv;
    }

    public Map<String, String> env() {
        return env;
    }

    /** Absolute, normalised, always {@code /work} or below. */
    public String workDir() {
        return workDir;
    }

    /** Null when the exec has no time limit. */
    public Duration timeout() {
        return timeout;
    }

    List<String> envList(String token) {
        List<String> out = new ArrayList<>(env.size() + 1);
        env.forEach((k, v) -> out.add(k + "=" + v));
        out.add(RunContainer.TOKEN_VARIABLE + "=" + token);
        return out;
    }

    /** argv only (no env values, which may hold secrets). */
    @Override public String toString() {
        return "ExecRequest" + argv + " in " + workDir + (timeout == null ? "" : " timeout " + timeout);
    }
}
