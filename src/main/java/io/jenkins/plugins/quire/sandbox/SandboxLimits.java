package io.jenkins.plugins.quire.sandbox;

/**
 * The resource limits of one Lua run (a pipeline load, a job's run-fn or a compilation): they exist
 * so that a hostile or buggy script fails with a clear message instead of hanging or exhausting the
 * server. {@code cpuTimeMillis} is CPU time of the Lua thread (time spent in host functions such as
 * {@code sh} is not counted), so jobs waiting for a core are not charged. {@code maxAllocBytes} bounds
 * the bytes a run's Lua allocates; jobs running at the same time share it through a {@link RunLuaBudget}.
 * A value of 0 or less for {@code maxInstructions}, {@code cpuTimeMillis} or {@code maxAllocBytes}
 * means "unlimited".
 */
public record SandboxLimits(long maxInstructions, long cpuTimeMillis, int maxStringBytes,
                            long maxAllocBytes, int maxCallDepth) {

    /** 20 M instructions, 5 s of Lua CPU time, 16 MiB per string, 512 MiB allocated, 200 nested calls. */
    public static final SandboxLimits DEFAULTS =
            new SandboxLimits(20_000_000L, 5_000L, 16 << 20, 512L << 20, 200);

    public SandboxLimits {
        if (maxStringBytes <= 0) throw new IllegalArgumentException("maxStringBytes must be positive: " + maxStringBytes);
        if (maxCallDepth <= 0) throw new IllegalArgumentException("maxCallDepth must be positive: " + maxCallDepth);
    }

    public static SandboxLimits defaults() { return DEFAULTS; }

    /** The Lua time budget; it counts CPU time since issue 8 (kept for callers written before). */
    @Deprecated
    public long wallClockMillis() { return cpuTimeMillis; }

    /** As {@link #withCpuTimeMillis}; kept for callers written before the budget counted CPU time. */
    @Deprecated
    public SandboxLimits withWallClockMillis(long v) { return withCpuTimeMillis(v); }

    public SandboxLimits withMaxInstructions(long v) { return new SandboxLimits(v, cpuTimeMillis, maxStringBytes, maxAllocBytes, maxCallDepth); }
    public SandboxLimits withCpuTimeMillis(long v) { return new SandboxLimits(maxInstructions, v, maxStringBytes, maxAllocBytes, maxCallDepth); }
    public SandboxLimits withMaxStringBytes(int v) { return new SandboxLimits(maxInstructions, cpuTimeMillis, v, maxAllocBytes, maxCallDepth); }
    public SandboxLimits withMaxAllocBytes(long v) { return new SandboxLimits(maxInstructions, cpuTimeMillis, maxStringBytes, v, maxCallDepth); }
    public SandboxLimits withMaxCallDepth(int v) { return new SandboxLimits(maxInstructions, cpuTimeMillis, maxStringBytes, maxAllocBytes, v); }
}
