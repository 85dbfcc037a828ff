package io.jenkins.plugins.quire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The jar inside the built quire-ci.hpi carries docker-java, Jackson, Guava and SLF4J only under the relocated
 * package {@code io.jenkins.plugins.quire.shaded}: an unrelocated copy would lose to Hudson 1.395's own
 * Guava r06 / current Jenkins' detached plugins. {@link QuireStepIT} proves the relocated copies work in the server.
 */
class ShadedLibrariesIT {
    private static final String[] FORBIDDEN = {"com/google/common/", "com/fasterxml/", "com/github/dockerjava/",
            "org/slf4j/", "org/apache/commons/io/", "org/apache/commons/lang3/"};
    private static final String[] RELOCATED = {"io/jenkins/plugins/quire/shaded/dockerjava/",
            "io/jenkins/plugins/quire/shaded/jackson/", "io/jenkins/plugins/quire/shaded/guava/",
            "io/jenkins/plugins/quire/shaded/slf4j/"};

    @Test
    void hpiJarHoldsNoUnrelocatedThirdPartyClasses() throws Exception {
        List<String> unrelocated = new ArrayList<>();
        int[] relocated = new int[RELOCATED.length];
        int classes = 0;
        try (ZipFile hpi = new ZipFile(Path.of(System.getProperty("quire.hpi")).toFile())) {
            ZipEntry lib = hpi.getEntry("WEB-INF/lib/quire-ci.jar");
            assertNotNull(lib, "the hpi holds WEB-INF/lib/quire-ci.jar");
            try (InputStream in = hpi.getInputStream(lib); JarInputStream jar = new JarInputStream(in)) {
                for (ZipEntry e = jar.getNextEntry(); e != null; e = jar.getNextEntry()) {
                    String name = e.getName();
                    if (!name.endsWith(".class")) continue;
                    classes++;
                    for (String f : FORBIDDEN) if (name.startsWith(f)) unrelocated.add(name);
                    for (int i = 0; i < RELOCATED.length; i++) if (name.startsWith(RELOCATED[i])) relocated[i]++;
                }
            }
        }
        assertTrue(classes > 1000, "the jar holds the engine and its libraries (" + classes + " classes)");
        assertEquals(List.of(), unrelocated.subList(0, Math.min(20, unrelocated.size())), unrelocated.size()
                + " unrelocated third-party classes");
        for (int i = 0; i < RELOCATED.length; i++) {
            assertTrue(relocated[i] > 0, "relocated classes under " + RELOCATED[i]);
        }
    }
}
