package io.jenkins.plugins.quire.container;

/** Every test of {@link ExecTerminationIT}, with each command run through the exec agent (docs/exec-agent.md). */
class ExecTerminationAgentIT extends ExecTerminationIT {
}
