package io.jenkins.plugins.quire.sandbox;

/**
 * The resource limits of one Lua run (a pipeline load, a job's run-fn or a compilation): they exist
 * so that a hostile or buggy script fails with a clear message instead of hanging or exhausting the
 * server. A value of 0 or less for {@code maxInstructions}, {@code wallClockMillis} or
 * {@code maxAllocBytes} means "unlimited".
 */
public record SandboxLimits(long maxInstructions, long wallClockMillis, int maxStringBytes,
                            long maxAllocBytes, int maxCallDepth) {

    /** 20 M instructions, 5 s of Lua wall-clock time, 16 MiB per string, 512 MiB allocated, 200 nested calls. */
    public static final SandboxLimits DEFAULTS =
            new SandboxLimits(20_000_000L, 5_000L, 16 << 20, 512L << 20, 200);

    public SandboxLimits {
        if (maxStringBytes <= 0) throw new IllegalArgumentException("maxStringBytes must be positive: " + maxStringBytes);
        if (maxCallDepth <= 0) throw new IllegalArgumentException("maxCallDepth must be positive: " + maxCallDepth);
    }

    public static SandboxLimits defaults() { return DEFAULTS; }

    public SandboxLimits withMaxInstructions(long v) { return new SandboxLimits(v, wallClockMillis, maxStringBytes, maxAllocBytes, maxCallDepth); }
    public SandboxLimits withWallClockMillis(long v) { return new SandboxLimits(maxInstructions, v, maxStringBytes, maxAllocBytes, maxCallDepth); }
    public SandboxLimits withMaxStringBytes(int v) { return new SandboxLimits(maxInstructions, wallClockMillis, v, maxAllocBytes, maxCallDepth); }
    public SandboxLimits withMaxAllocBytes(long v) { return new SandboxLimits(maxInstructions, wallClockMillis, maxStringBytes, v, maxCallDepth); }
    public SandboxLimits withMaxCallDepth(int v) { return new SandboxLimits(maxInstructions, wallClockMillis, maxStringBytes, maxAllocBytes, v); }
}
