package io.jenkins.plugins.quire.container;

/** Every test of {@link ContainerDeathIT}, with each command run through the exec agent (docs/exec-agent.md). */
class ContainerDeathAgentIT extends ContainerDeathIT {
}
