package io.jenkins.plugins.quire.container;

/**
 * Why: an exec's output must reach the log as it arrives, stdout and stderr kept apart.
 * Called on a Docker stream thread, in arrival order, one call per chunk (a Docker frame, at most 64 KiB, or an
 * exec agent's output frame; a UTF-8 sequence may be split across chunks). The array is a fresh copy the listener may keep.
 * An exception thrown here aborts the exec and is rethrown by {@link RunContainer#exec} as a {@link ContainerException}.
 */
public interface ExecListener {
    void onStdout(byte[] data, int off, int len);

    void onStderr(byte[] data, int off, int len);

    /** A listener that drops everything. */
    ExecListener DISCARD = new ExecListener() {
        @Override public void onStdout(byte[] data, int off, int len) { }

        @Override public void onStderr(byte[] data, int off, int len) { }
    };
}
