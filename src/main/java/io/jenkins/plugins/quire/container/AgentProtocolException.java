package io.jenkins.plugins.quire.container;

/**
 * Why: a violation of the exec agent's protocol (docs/exec-agent.md) is not a Docker failure: it ends the agent
 * and its requests, and the run falls back to plain {@code docker exec}. Checked, so every reader of the agent's
 * stream has to decide what to do with it.
 */
final class AgentProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    AgentProtocolException(String message) {
        super(message);
    }
}
