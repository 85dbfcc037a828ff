package io.jenkins.plugins.quire.container.agent;

import io.jenkins.plugins.quire.container.DockerTestSupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Why: the agent's container tests start containers with the docker CLI (the production client is not under test
 * here), each labelled io.quire.owner=quire-test-agent and named after this JVM, and remove exactly those.
 */
final class AgentContainers {
    static final String LABEL = "io.quire.owner=quire-test-agent";
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final List<String> STARTED = new ArrayList<>();

    private AgentContainers() { }

    static synchronized String newName() {
        String name = "quire-agent-it-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
        STARTED.add(name);
        return name;
    }

    /** `docker run -i` with the agent bind-mounted as the container's command. */
    static List<String> runAgent(String name, String image, String... extra) {
        DockerTestSupport.engine().close();                 // fails clearly when dockerd or the images are missing
        List<String> cmd = new ArrayList<>(List.of("docker", "run", "-i", "--name", name, "--label", LABEL,
                "--pids-limit", "128", "-v", AgentSession.binary().toAbsolutePath() + ":/quire-exec-agent:ro"));
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of("--entrypoint", "/quire-exec-agent", image));
        return cmd;
    }

    static synchronized void removeAll() {
        for (String name : STARTED) DockerTestSupport.run(new ArrayList<>(), 60, "docker", "rm", "-f", name);
        STARTED.clear();
    }
}
