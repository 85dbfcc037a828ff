package io.jenkins.plugins.quire.pipeline;

/**
 * The lifetime of one installed {@link RuntimeBinding}: closing it uninstalls the binding, after which
 * {@code sh}/{@code secret}/{@code jobs} refuse again (also for closures a run-fn stashed away). Use with
 * try-with-resources around each run-fn call.
 */
public final class RuntimeScope implements AutoCloseable {
    private final RuntimeSlot slot;
    private final RuntimeBinding binding;

    RuntimeScope(RuntimeSlot slot, RuntimeBinding binding) {
        this.slot = slot;
        this.binding = binding;
        slot.install(binding);
    }

    @Override
    public void close() {
        slot.uninstall(binding);
    }
}
