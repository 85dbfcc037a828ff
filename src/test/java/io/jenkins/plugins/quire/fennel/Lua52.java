package io.jenkins.plugins.quire.fennel;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference interpreter for differential tests: Debian's {@code lua5.2}, installed on demand when the tests
 * run as root (as {@code .ci/run} does too), plus a temp folder holding the same {@code fennel.lua} the compile VM
 * loads, so both sides run the very same compiler text.
 */
final class Lua52 {
    static final String BINARY = "/usr/bin/lua5.2";

    private Lua52() {}

    /** Path of lua5.2, installing Debian's package if it is missing and we are root; fails the test otherwise. */
    static synchronized String binary() {
        if (Files.isExecutable(Path.of(BINARY))) return BINARY;
        if ("root".equals(System.getProperty("user.name"))) {
            String out = apt("install", "-y", "-q", "lua5.2");
            if (!Files.isExecutable(Path.of(BINARY))) {
                apt("update", "-q"); // a fresh machine may not have package lists yet
                out = apt("install", "-y", "-q", "lua5.2");
            }
            if (!Files.isExecutable(Path.of(BINARY))) fail("apt-get install -y lua5.2 did not install " + BINARY + ":\n" + out);
        }
        if (!Files.isExecutable(Path.of(BINARY))) {
            fail(BINARY + " is missing: these differential tests need Debian's lua5.2 (apt-get install -y lua5.2)");
        }
        return BINARY;
    }

    private static String apt(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("apt-get");
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) p.destroyForcibly();
            return out;
        } catch (IOException | InterruptedException e) {
            return "cannot run " + cmd + ": " + e;
        }
    }

    /** Copies the bundled fennel.lua next to the driver scripts in {@code dir}. */
    static Path copyFennel(Path dir) throws IOException {
        Path target = dir.resolve("fennel.lua");
        try (InputStream in = Lua52.class.getResourceAsStream("/io/jenkins/plugins/quire/fennel/fennel.lua")) {
            if (in == null) fail("fennel.lua is not on the test classpath");
            Files.copy(in, target);
        }
        return target;
    }

    /** Runs {@code lua5.2 script args...} in {@code dir}; returns stdout; fails the test on a non-zero exit. */
    static String run(Path dir, Path script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary());
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("lua5.2 " + script + " did not finish within 300 s");
        }
        if (p.exitValue() != 0) {
            fail("lua5.2 " + script + " exited with " + p.exitValue() + ":\n" + Files.readString(err));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** A test resource folder as a path. */
    static Path resourceDir(String name) {
        URL url = Lua52.class.getResource("/" + name);
        if (url == null) fail("test resource folder " + name + " is missing");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Lua long-bracket string literal holding {@code s}. */
    static String longString(String s) {
        String eq = "=";
        while (s.contains("]" + eq + "]")) eq += "=";
        return "[" + eq + "[\n" + s + "]" + eq + "]";
    }
}
