package io.jenkins.plugins.quire.container;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a Docker test class holds for its whole life: the engine, a fresh workspace and a container owner label
 * unique to the class (and, if asked, one running busybox container and images it built). {@link #close()} removes them and enforces the
 * no-orphan rule: no container of that owner may survive the class.
 */
public final class DockerFixture implements AutoCloseable {
    private final String owner;
    private final DockerEngine engine;
    private final Path workspace;
    private RunContainer box;
    private final java.util.List<String> images = new java.util.ArrayList<>();

    private DockerFixture(String owner, DockerEngine engine, Path workspace) {
        this.owner = owner;
        this.engine = engine;
        this.workspace = workspace;
    }

    /** Connects (starting Docker if needed) and creates a workspace named after {@code name}. */
    public static DockerFixture open(Class<?> testClass, String name) throws IOException {
        DockerEngine engine = DockerTestSupport.engine();
        return new DockerFixture(DockerTestSupport.owner(testClass), engine, DockerTestSupport.newWorkspace(name));
    }

    /** Starts the class's busybox run container (no network) on the workspace; closed with the fixture. */
    public RunContainer startBox(String runId) {
        box = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, workspace, runId, owner).withNetworkMode("none"));
        return box;
    }

    /**
     * Starts the class's busybox run container in the given exec mode; in the agent mode the agent must be running
     * (a silent fallback would test the plain mode twice).
     */
    public RunContainer startBox(String runId, ExecMode mode) {
        box = engine.startRun(RunSpec.of(DockerTestSupport.BUSYBOX, workspace, runId, owner).withNetworkMode("none")
                .withExecMode(mode));
        if (box.execMode().mode() != mode)
            throw new AssertionError("the run container runs in mode " + box.execMode() + ", not " + mode);
        return box;
    }

    /**
     * Builds an image from a Dockerfile's text (no network, a context folder under the workspace) tagged
     * {@code <name>:<this JVM's pid>}; it is removed with the fixture. Returns the tag.
     */
    public String buildImage(String name, String dockerfile) throws IOException {
        String tag = name + ":" + ProcessHandle.current().pid();
        Path ctx = workspace.resolve(name + "-image");
        java.nio.file.Files.createDirectories(ctx);
        java.nio.file.Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
        java.util.List<String> out = new java.util.ArrayList<>();
        images.add(tag);
        if (DockerTestSupport.run(out, 120, "docker", "build", "-q", "--network", "none", "-t", tag, ctx.toString()) != 0)
            throw new AssertionError("docker build of " + tag + " failed:\n" + String.join("\n", out));
        return tag;
    }

    public String owner() {
        return owner;
    }

    public DockerEngine engine() {
        return engine;
    }

    public Path workspace() {
        return workspace;
    }

    @Override
    public void close() {
        if (box != null) box.close();
        try {
            DockerTestSupport.assertNoContainersLeft(engine, owner);
        } finally {
            engine.close();
            DockerTestSupport.deleteTree(workspace);
            for (String tag : images) DockerTestSupport.run(new java.util.ArrayList<>(), 60, "docker", "rmi", "-f", tag);
        }
    }
}
