package io.jenkins.plugins.quire.container;

import java.io.IOException;
import java.io.InputStream;

/**
 * Why: the exec agent is a static binary per platform, packaged as a resource of this jar
 * ({@code agent/linux-amd64/quire-exec-agent} next to this class) by the build (docs/exec-agent.md). An image of
 * another platform, or a build without the binary, runs with plain execs.
 */
final class AgentBinary {
    private AgentBinary() { }

    /** The resource's path for a platform such as "linux-amd64". */
    static String resource(String platform) {
        return "agent/" + platform + "/" + ExecAgent.NAME;
    }

    /** Binaries read so far, by platform (a jar's resources never change while it runs); never written to. */
    private static final java.util.Map<String, byte[]> READ = new java.util.concurrent.ConcurrentHashMap<>();

    /** The binary for {@code platform} ("linux-amd64"), or null when this build carries none; the same array each time. */
    static byte[] forPlatform(String platform) {
        if (!platform.matches("[a-z0-9_]+-[a-z0-9_]+")) return null;
        byte[] known = READ.get(platform);
        if (known != null) return known;
        try (InputStream in = AgentBinary.class.getResourceAsStream(resource(platform))) {
            if (in == null) return null;
            byte[] b = in.readAllBytes();
            byte[] first = READ.putIfAbsent(platform, b);
            return first != null ? first : b;
        } catch (IOException e) {
            return null;
        }
    }
}
