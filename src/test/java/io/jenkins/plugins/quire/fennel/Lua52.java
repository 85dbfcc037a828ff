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
 * The reference interpreter for differential tests (integration tier): Debian's {@code lua5.2}, installed by
 * {@code scripts/install-prereqs.sh}, plus a temp folder holding the same {@code fennel.lua} the compile VM
 * loads, so both sides run the very same compiler text.
 */
final class Lua52 {
    static final String BINARY = "/usr/bin/lua5.2";

    private Lua52() {}

    /** Path of lua5.2; fails the test when it is missing (a test installs nothing: scripts/install-prereqs.sh does). */
    static String binary() {
        if (!Files.isExecutable(Path.of(BINARY))) {
            fail(BINARY + " is missing: these differential tests need Debian's lua5.2; run `bash scripts/install-prereqs.sh`"
                    + " (scripts/test.sh does)");
        }
        return BINARY;
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
