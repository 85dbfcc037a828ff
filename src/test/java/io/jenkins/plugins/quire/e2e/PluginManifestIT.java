package io.jenkins.plugins.quire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The plugin entries are in both manifests of the built quire-ci.hpi. Current Jenkins' class filter treats a class as
 * plugin code (and lets build steps, descriptors, actions and console annotators be saved and read back) only when the
 * manifest of the jar the class comes from, here {@code WEB-INF/lib/quire-ci.jar}, carries {@code Short-Name} and
 * {@code Plugin-Version} or {@code Jenkins-Version}; the .hpi's own manifest is what the plugin manager reads.
 */
class PluginManifestIT {
    private static final List<String> PLUGIN_KEYS = List.of("Short-Name", "Plugin-Version", "Jenkins-Version",
            "Hudson-Version", "Long-Name");

    @Test
    void innerJarManifestCarriesThePluginEntries() throws Exception {
        Attributes inner = innerJarManifest().getMainAttributes();
        assertEquals(List.of(), missing(inner), "plugin entries missing from WEB-INF/lib/quire-ci.jar: " + inner);
        assertEquals("quire-ci", inner.getValue("Short-Name"));
        assertEquals("1.395", inner.getValue("Hudson-Version"));
        assertEquals("io.jenkins.plugins.quire.cli.Main", inner.getValue("Main-Class"), "the jar is still the CLI");
    }

    @Test
    void hpiManifestCarriesThePluginEntriesAndBothAgree() throws Exception {
        Attributes outer;
        try (ZipFile hpi = new ZipFile(hpi().toFile())) {
            ZipEntry mf = hpi.getEntry("META-INF/MANIFEST.MF");
            assertNotNull(mf, "the hpi has a manifest");
            try (InputStream in = hpi.getInputStream(mf)) {
                outer = new Manifest(in).getMainAttributes();
            }
        }
        assertEquals(List.of(), missing(outer), "plugin entries missing from the .hpi manifest: " + outer);
        Attributes inner = innerJarManifest().getMainAttributes();
        for (String key : PLUGIN_KEYS) assertEquals(outer.getValue(key), inner.getValue(key), key);
    }

    private static List<String> missing(Attributes a) {
        List<String> out = new ArrayList<>();
        for (String key : PLUGIN_KEYS) {
            String v = a.getValue(key);
            if (v == null || v.isBlank()) out.add(key);
        }
        return out;
    }

    static Path hpi() {
        return Path.of(System.getProperty("quire.hpi"));
    }

    static Manifest innerJarManifest() throws Exception {
        try (ZipFile hpi = new ZipFile(hpi().toFile())) {
            ZipEntry lib = hpi.getEntry("WEB-INF/lib/quire-ci.jar");
            assertNotNull(lib, "the hpi holds WEB-INF/lib/quire-ci.jar");
            try (InputStream in = hpi.getInputStream(lib); JarInputStream jar = new JarInputStream(in)) {
                Manifest m = jar.getManifest();
                assertNotNull(m, "WEB-INF/lib/quire-ci.jar has a manifest");
                return m;
            }
        }
    }
}
