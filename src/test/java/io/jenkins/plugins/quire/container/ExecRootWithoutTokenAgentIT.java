package io.jenkins.plugins.quire.container;

/** Every test of {@link ExecRootWithoutTokenIT}, with each command run through the exec agent (docs/exec-agent.md). */
class ExecRootWithoutTokenAgentIT extends ExecRootWithoutTokenIT {
}
