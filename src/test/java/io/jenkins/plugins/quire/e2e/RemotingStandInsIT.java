package io.jenkins.plugins.quire.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The compile-only stand-ins of current Jenkins' remoting role types ({@code src/stub/java}) are not in the packaged
 * plugin, while its callables carry {@code checkRoles} (docs/agents.md).
 */
class RemotingStandInsIT {
    @Test
    void theHpiShipsNoRemotingStandInButCallablesThatDeclareTheirRole() throws Exception {
        Path hpi = Path.of(System.getProperty("quire.hpi"));
        List<String> standIns = new ArrayList<>();
        byte[] nodeRun = null;
        int entries = 0;
        try (ZipFile zip = new ZipFile(hpi.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (e.getName().startsWith("org/jenkinsci/")) standIns.add(e.getName());
            }
            ZipEntry jar = zip.getEntry("WEB-INF/lib/quire-ci.jar");
            assertNotNull(jar, "the plugin jar in the .hpi");
            byte[] jarBytes;
            try (InputStream in = zip.getInputStream(jar)) {
                jarBytes = in.readAllBytes();
            }
            try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jarBytes))) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    entries++;
                    if (e.getName().contains("org/jenkinsci/")) standIns.add("quire-ci.jar!" + e.getName());
                    if (e.getName().equals("io/jenkins/plugins/quire/jenkins/NodeRunWithRoles.class")) nodeRun = in.readAllBytes();
                }
            }
        }
        assertTrue(entries > 1000, "the jar holds the engine and its libraries: " + entries);
        assertEquals(List.of(), standIns, "remoting stand-ins packaged");
        assertNotNull(nodeRun, "NodeRunWithRoles in the plugin jar");
        String constants = new String(nodeRun, StandardCharsets.ISO_8859_1);
        assertTrue(constants.contains("checkRoles") && constants.contains("org/jenkinsci/remoting/RoleChecker"),
                "NodeRunWithRoles declares checkRoles(RoleChecker)");
    }
}
