package io.jenkins.plugins.quire.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectExecResponse;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Why: the engine runs a few commands of its own as root in a run's container (at start: the jobs' scratch
 * directories). While the exec agent runs, each is one request to it, as 0:0: no {@code docker exec}, whose set-up
 * would cost every run's start tens of milliseconds; in the plain mode each is one {@code docker exec} as 0:0.
 */
final class RootCommands {
    private final DockerClient docker;
    private final DockerStreams streams;
    private final DockerCalls calls;
    private final String containerId;
    /** Runs a request as 0:0 through the exec agent; null when no agent takes it. */
    private final BiFunction<ExecRequest, ExecListener, ExecResult> viaAgent;

    RootCommands(DockerClient docker, DockerStreams streams, DockerCalls calls, String containerId,
                 BiFunction<ExecRequest, ExecListener, ExecResult> viaAgent) {
        this.docker = docker;
        this.streams = streams;
        this.calls = calls;
        this.containerId = containerId;
        this.viaAgent = viaAgent;
    }

    /**
     * Runs {@code argv} as root in the container's working directory and waits for it (at most the engine's call
     * deadline).
     * @param what what the command does, for messages ("the jobs' scratch directories")
     * @return its exit code, or null when the engine did not report one
     * @throws ContainerException when it could not run or did not end in time
     * @throws EngineUnavailableException when the engine does not answer
     */
    Long run(String what, List<String> argv, ExecListener listener) {
        ExecResult r = viaAgent.apply(ExecRequest.argv(argv).withTimeout(calls.timeout()), listener);
        // an agent that died under this command (a protocol error: the container lives on) leaves it to a plain exec
        if (r != null && r.outcome() != ExecOutcome.AGENT_DIED) {
            if (r.outcome() == ExecOutcome.SUCCEEDED || r.outcome() == ExecOutcome.FAILED) return (long) r.exitCode();
            throw new ContainerException("could not make " + what + ": " + r.reason().orElse(r.outcome().toString()));
        }
        String execId = calls.call("create the exec making " + what, () -> docker.execCreateCmd(containerId)
                .withCmd(argv.toArray(new String[0]))
                .withUser("0:0")
                .withAttachStdin(false).withAttachStdout(true).withAttachStderr(true)
                .withTty(false)
                .exec().getId());
        ExecStream s = new ExecStream(listener);
        calls.call("start the exec making " + what, () -> { streams.execStart(execId, s); return null; });
        try {
            if (!s.await(calls.timeout().toMillis())) {
                s.close();
                throw new ContainerException("could not make " + what + ": no answer within " + DockerCalls.seconds(calls.timeout()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.close();
            throw new ContainerException("interrupted while making " + what);
        }
        return exitCode(execId, what);
    }

    /** The exec's exit code; the engine may report it a moment after the streams closed. */
    private Long exitCode(String execId, String what) {
        for (int i = 0; i < 50; i++) {
            InspectExecResponse ie = calls.call("inspect the exec making " + what, () -> docker.inspectExecCmd(execId).exec());
            if (!Boolean.TRUE.equals(ie.isRunning())) return ie.getExitCodeLong();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
