package io.jenkins.plugins.quire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the two test tiers apart (docs/architecture.md): a unit test ({@code *Test}, run by {@code mvn test}) needs
 * no Docker engine, no Hudson, no browser and no external interpreter, and no test installs or starts anything. Those
 * belong in {@code *IT} classes, run by failsafe under {@code mvn verify}. Checked on the test sources, by the
 * helpers each kind of dependency goes through.
 */
class TestTiersTest {
    private static final Path ROOT = Path.of(System.getProperty("quire.project.dir", ".")).toAbsolutePath().normalize();
    private static final Path TESTS = ROOT.resolve("src/test/java");

    /** What only the integration tier may use. */
    private static final List<String> INTEGRATION_ONLY = List.of(
            "DockerTestSupport.engine(", "DockerFixture", "extends LoopbackHudsonTestCase", "extends HudsonTestCase",
            "HeadlessChromium", "Lua52.binary(", "Lua52.run(", "HudsonServer");

    /** What no test may do. */
    private static final List<String> NEVER = List.of("\"apt-get\"", "ensure-docker.sh\")", "install-prereqs.sh\")");

    @Test
    void unitTestsUseNeitherDockerNorHudsonNorABrowser() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> units = testClasses().stream().filter(p -> p.getFileName().toString().endsWith("Test.java")).toList();
        assertTrue(units.size() > 50, "too few unit test classes under " + TESTS + ": " + units.size());
        for (Path f : units) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            for (String s : INTEGRATION_ONLY) if (text.contains(s)) found.add(TESTS.relativize(f) + " uses " + s);
        }
        assertEquals(List.of(), found, "move these tests into *IT classes (integration tier)");
    }

    @Test
    void noTestInstallsOrStartsAnything() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path f : testClasses()) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            for (String s : NEVER) if (text.contains(s)) found.add(TESTS.relativize(f) + " runs " + s);
        }
        assertEquals(List.of(), found, "scripts/test.sh installs and starts what the tests need, never a test");
    }

    @Test
    void theIntegrationTierIsWhereDockerAndHudsonTestsAre() throws IOException {
        long its = testClasses().stream().filter(p -> p.getFileName().toString().endsWith("IT.java")).count();
        assertTrue(its > 20, "expected the Docker, Hudson and browser tests as *IT classes, found " + its);
    }

    private static List<Path> testClasses() throws IOException {
        try (Stream<Path> s = Files.walk(TESTS)) {
            // this file names what it looks for
            return s.filter(p -> p.toString().endsWith(".java") && !p.endsWith("TestTiersTest.java")).sorted().toList();
        }
    }
}
