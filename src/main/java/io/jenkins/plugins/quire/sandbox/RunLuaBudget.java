package io.jenkins.plugins.quire.sandbox;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory pool for Lua values of one run: every job's {@link BudgetHook} charges what its thread allocates
 * here while the job runs and gives it back when the job ends, so N jobs running at once share the run's
 * {@code maxAllocBytes} instead of multiplying it, while jobs that run one after another each get the whole pool.
 * Thread-safe; one per run, handed to every job's VM.
 */
public final class RunLuaBudget {
    private final long maxAllocBytes;
    private final AtomicLong charged = new AtomicLong();

    /** A pool of {@code maxAllocBytes} bytes (0 or less: unlimited). */
    public RunLuaBudget(long maxAllocBytes) {
        this.maxAllocBytes = maxAllocBytes;
    }

    /** A pool of the allocation limit of {@code limits} (null: the defaults). */
    public static RunLuaBudget of(SandboxLimits limits) {
        return new RunLuaBudget((limits == null ? SandboxLimits.DEFAULTS : limits).maxAllocBytes());
    }

    /** The pool's size in bytes (0 or less: unlimited). */
    public long maxAllocBytes() {
        return maxAllocBytes;
    }

    /** Bytes charged by the jobs running now (0 when none runs). */
    public long charged() {
        return charged.get();
    }

    /** Adds {@code delta} (negative to give back); returns the new total. */
    long add(long delta) {
        return delta == 0 ? charged.get() : charged.addAndGet(delta);
    }
}
