package io.jenkins.plugins.quire.jenkins;

import hudson.remoting.Callable;

/**
 * Why: the abort button interrupts the controller's executor, not the thread on the agent that runs the pipeline.
 * This callable, sent to the build's node, triggers the run's abort there ({@link NodeRuns}); the controller then
 * keeps waiting for the run's own call to return with the cleanup done and the logs closed.
 */
class AbortNodeRun implements Callable<Boolean, RuntimeException> {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String reason;

    /** {@link AbortNodeRunWithRoles} where the remoting role types exist, else a plain one (see {@link NodeRun#create}). */
    static Callable<Boolean, RuntimeException> create(String key, String reason) {
        if (RemotingRoles.PRESENT) return new AbortNodeRunWithRoles(key, reason);
        return new AbortNodeRun(key, reason);
    }

    AbortNodeRun(String key, String reason) {
        this.key = key;
        this.reason = reason;
    }

    @Override
    public Boolean call() {
        return NodeRuns.abort(key, reason);
    }
}
