package io.jenkins.plugins.quire.pipeline;

/**
 * Holds the {@link RuntimeBinding} of the job now running in one loaded pipeline (or none). Written by the
 * scheduler's thread, read on the sandbox's Lua thread, hence volatile.
 */
final class RuntimeSlot {
    private volatile RuntimeBinding current;

    RuntimeBinding current() {
        return current;
    }

    /** Installs a binding; refuses to replace another one (one job runs at a time). */
    synchronized void install(RuntimeBinding binding) {
        if (current != null) throw new IllegalStateException("a runtime binding is already installed");
        current = java.util.Objects.requireNonNull(binding, "binding");
    }

    /** Removes the binding if it is still the given one. */
    synchronized void uninstall(RuntimeBinding binding) {
        if (current == binding) current = null;
    }
}
