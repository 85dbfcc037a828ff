package io.jenkins.plugins.quire.jenkins;

import hudson.remoting.Callable;

/**
 * Why: the abort button interrupts the controller's executor, not the thread on the agent that runs the pipeline.
 * This callable, sent to the build's node, triggers the run's abort there ({@link NodeRuns}); the controller then
 * keeps waiting for the run's own call to return with the cleanup done and the logs closed.
 */
final class AbortNodeRun implements Callable<Boolean, RuntimeException> {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String reason;

    AbortNodeRun(String key, String reason) {
        this.key = key;
        this.reason = reason;
    }

    /** Current Jenkins asks which side may run this: the agent's (docs/agents.md); Hudson 1.395 never calls it. */
    public void checkRoles(org.jenkinsci.remoting.RoleChecker checker) throws SecurityException {
        AgentRole.masterToAgent(this, checker);
    }

    @Override
    public Boolean call() {
        return NodeRuns.abort(key, reason);
    }
}
