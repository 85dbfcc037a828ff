package io.jenkins.plugins.quire.container;

/** Every test of {@link ConcurrentExecsIT}, with each command run through the exec agent (docs/exec-agent.md). */
class ConcurrentExecsAgentIT extends ConcurrentExecsIT {
}
