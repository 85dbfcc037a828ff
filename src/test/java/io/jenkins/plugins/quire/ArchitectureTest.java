package io.jenkins.plugins.quire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the layering of docs/architecture.md: only jenkins/ imports hudson.*, only container/ imports docker-java. */
class ArchitectureTest {
    private static final Path MAIN = Path.of(System.getProperty("quire.project.dir", "."), "src/main/java");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void onlyTheJenkinsPackageImportsHudsonOrJenkins() throws IOException {
        List<String> offenders = offenders("hudson.", "jenkins.", "org.kohsuke.stapler.");
        assertTrue(sourceCount() > 0, "no sources found under " + MAIN.toAbsolutePath());
        assertEquals(List.of(), offenders, "engine code must not import the Hudson/Jenkins API");
    }

    @Test
    void onlyTheContainerPackageImportsDockerJava() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (String line : imports()) {
            if (line.contains(" com.github.dockerjava.") && !line.startsWith("container/")) offenders.add(line);
        }
        assertEquals(List.of(), offenders, "docker-java stays behind the container package");
    }

    private static List<String> offenders(String... prefixes) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : imports()) {
            if (line.startsWith("jenkins/")) continue;
            for (String p : prefixes) if (line.contains(" " + p)) out.add(line);
        }
        return out;
    }

    /** One entry per import: "<package dir>/<File>.java: <imported name>". */
    private static List<String> imports() throws IOException {
        Path root = MAIN.resolve("io/jenkins/plugins/quire");
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String rel = root.relativize(f).toString();
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) out.add(rel + ": " + m.group(2));
            }
        }
        return out;
    }

    private static long sourceCount() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java")).count();
        }
    }
}
