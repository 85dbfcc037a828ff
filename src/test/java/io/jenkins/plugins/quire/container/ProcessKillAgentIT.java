package io.jenkins.plugins.quire.container;

/** Every test of {@link ProcessKillIT}, with each command run through the exec agent (docs/exec-agent.md). */
class ProcessKillAgentIT extends ProcessKillIT {
}
