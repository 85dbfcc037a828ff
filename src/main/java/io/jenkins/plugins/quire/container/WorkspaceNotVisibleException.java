package io.jenkins.plugins.quire.container;

/**
 * Why: the run's Docker engine mounts something else than the workspace at /work (it runs on another machine, or the
 * node is a container of the engine's host); callers report the message as is, since it already says what to do.
 */
public class WorkspaceNotVisibleException extends ContainerException {
    private static final long serialVersionUID = 1L;

    public WorkspaceNotVisibleException(String message) {
        super(message);
    }
}
