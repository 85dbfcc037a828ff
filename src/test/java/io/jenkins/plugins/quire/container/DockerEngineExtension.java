package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What most Docker test classes share, as a JUnit extension: the engine, connected once before the class (failing
 * with the command that provides Docker when it is missing), and the no-orphan rule after it: no container labelled
 * with the class's owner may survive the class. Register it as a static field:
 * {@code @RegisterExtension static final DockerEngineExtension DOCKER = new DockerEngineExtension(OWNER);}.
 */
public final class DockerEngineExtension implements BeforeAllCallback, AfterAllCallback {
    private final String owner;
    private DockerEngine engine;

    public DockerEngineExtension(String owner) {
        this.owner = owner;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        engine = DockerTestSupport.engine();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (engine == null) return;
        try {
            DockerTestSupport.assertNoContainersLeft(engine, owner);
        } finally {
            engine.close();
        }
    }

    public DockerEngine engine() {
        return engine;
    }

    public String owner() {
        return owner;
    }
}
