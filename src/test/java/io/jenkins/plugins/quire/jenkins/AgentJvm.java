package io.jenkins.plugins.quire.jenkins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a Hudson 1.395 agent process ({@code slave.jar}) on this JDK: remoting needs these opens. */
public final class AgentJvm {
    private AgentJvm() {}

    /** {@code java --add-opens ... -jar <slaveJar>} with this JVM's java. */
    public static List<String> command(Path slaveJar) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String opens : new String[] {"java.base/java.lang", "java.base/java.util", "java.base/java.lang.reflect",
                "java.base/java.io", "java.base/java.net", "java.base/java.util.concurrent",
                "java.base/java.util.regex", "java.base/java.nio.charset", "java.base/java.security",
                "java.base/java.lang.ref", "java.logging/java.util.logging"}) {
            cmd.add("--add-opens");
            cmd.add(opens + "=ALL-UNNAMED");
        }
        cmd.add("-Xmx256m");
        cmd.add("-jar");
        cmd.add(slaveJar.toString());
        return cmd;
    }
}
