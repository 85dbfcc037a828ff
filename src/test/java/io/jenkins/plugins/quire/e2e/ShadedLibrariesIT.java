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
 * The jar inside the built quire-ci.hpi carries docker-java, Jackson, Guava, SLF4J and LuaJ only under the relocated
 * package {@code io.jenkins.plugins.quire.shaded} (docs/architecture.md): an unrelocated copy would lose to Hudson 1.395's own
 * Guava r06 / current Jenkins' detached plugins. {@link QuireStepIT} proves the relocated copies work in the server.
 */
class ShadedLibrariesIT {
    private static final String[] FORBIDDEN = {"com/google/common/", "com/fasterxml/", "com/github/dockerjava/",
            "org/slf4j/", "org/apache/commons/io/", "org/apache/commons/lang3/", "org/luaj/"};
    private static final String[] RELOCATED = {"io/jenkins/plugins/quire/shaded/dockerjava/",
            "io/jenkins/plugins/quire/shaded/jackson/", "io/jenkins/plugins/quire/shaded/guava/",
            "io/jenkins/plugins/quire/shaded/slf4j/", "io/jenkins/plugins/quire/shaded/luaj/vm2/"};
    /**
     * Parts of LuaJ the engine never uses, which would offer LuaJ to every plugin asking for scripting engines
     * (JSR-223 service file) or put classes in the default package (LuaJ's command-line tools).
     */
    private static final String[] UNUSED_LUAJ = {"META-INF/services/javax.script.ScriptEngineFactory",
            "io/jenkins/plugins/quire/shaded/luaj/vm2/script/", "io/jenkins/plugins/quire/shaded/luaj/vm2/luajc/",
            "io/jenkins/plugins/quire/shaded/luaj/vm2/server/", "io/jenkins/plugins/quire/shaded/luaj/vm2/ast/",
            "io/jenkins/plugins/quire/shaded/luaj/vm2/parser/"};
    /** Quire's own classes that live in LuaJ's package to reach package-private members: relocated with it. */
    private static final String[] LUAJ_ACCESS = {"io/jenkins/plugins/quire/shaded/luaj/vm2/lib/LuajDebugAccess.class",
            "io/jenkins/plugins/quire/shaded/luaj/vm2/lib/LuajPatternAccess.class"};

    @Test
    void hpiJarHoldsNoUnrelocatedThirdPartyClasses() throws Exception {
        List<String> unrelocated = new ArrayList<>();
        List<String> unused = new ArrayList<>();
        List<String> access = new ArrayList<>(List.of(LUAJ_ACCESS));
        int[] relocated = new int[RELOCATED.length];
        int classes = 0;
        try (ZipFile hpi = new ZipFile(Path.of(System.getProperty("quire.hpi")).toFile())) {
            ZipEntry lib = hpi.getEntry("WEB-INF/lib/quire-ci.jar");
            assertNotNull(lib, "the hpi holds WEB-INF/lib/quire-ci.jar");
            try (InputStream in = hpi.getInputStream(lib); JarInputStream jar = new JarInputStream(in)) {
                for (ZipEntry e = jar.getNextEntry(); e != null; e = jar.getNextEntry()) {
                    String name = e.getName();
                    for (String u : UNUSED_LUAJ) if (name.startsWith(u)) unused.add(name);
                    if (name.endsWith(".class") && name.indexOf('/') < 0) unused.add(name);
                    if (!name.endsWith(".class")) continue;
                    access.remove(name);
                    classes++;
                    for (String f : FORBIDDEN) if (name.startsWith(f)) unrelocated.add(name);
                    for (int i = 0; i < RELOCATED.length; i++) if (name.startsWith(RELOCATED[i])) relocated[i]++;
                }
            }
        }
        assertTrue(classes > 1000, "the jar holds the engine and its libraries (" + classes + " classes)");
        assertEquals(List.of(), unrelocated.subList(0, Math.min(20, unrelocated.size())), unrelocated.size()
                + " unrelocated third-party classes");
        assertEquals(List.of(), unused.subList(0, Math.min(20, unused.size())), unused.size()
                + " entries of LuaJ that the engine does not use (script engine, compilers, default-package tools)");
        assertEquals(List.of(), access, "LuaJ access classes relocated together with LuaJ");
        for (int i = 0; i < RELOCATED.length; i++) {
            assertTrue(relocated[i] > 0, "relocated classes under " + RELOCATED[i]);
        }
    }
}
