package io.jenkins.plugins.quire.container;

/** Every test of {@link ExecEnvironmentIT}, with each command run through the exec agent (docs/exec-agent.md). */
class ExecEnvironmentAgentIT extends ExecEnvironmentIT {
}
