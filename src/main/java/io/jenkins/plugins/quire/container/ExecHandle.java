package io.jenkins.plugins.quire.container;

/**
 * Why: one exec's state that the container and the exec agent share while it runs, set from any thread: its abort
 * request, and whether another exec ran in the container beside it (jobs run at once), which decides whether an OOM
 * kill seen during it can be taken for its own ({@link ExecSupervisor#oomIsOwn}).
 */
interface ExecHandle {
    /** The abort request, or null while there is none. */
    String abortReason();

    /** Records an abort request (the first one wins). */
    void requestAbort(String reason);

    /** True once another exec ran in the container at some moment while this one ran. */
    boolean overlapped();

    /** The engine's own commands (start-up reads, root commands): never aborted on their own, never counted beside others. */
    ExecHandle OWN = new ExecHandle() {
        @Override public String abortReason() {
            return null;
        }

        @Override public void requestAbort(String reason) { }

        @Override public boolean overlapped() {
            return false;
        }
    };
}
