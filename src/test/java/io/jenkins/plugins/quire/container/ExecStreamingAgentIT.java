package io.jenkins.plugins.quire.container;

/** Every test of {@link ExecStreamingIT}, with each command run through the exec agent (docs/exec-agent.md). */
class ExecStreamingAgentIT extends ExecStreamingIT {
}
