package io.jenkins.plugins.quire.sandbox;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Test helper: evaluates a chunk with the real PUC Lua 5.2 interpreter (/usr/bin/lua5.2) for the differential checks
 * inside unit tests. {@code mvn test} runs anywhere, so without lua5.2 those checks are skipped; scripts/test.sh (and
 * so CI) sets {@code quire.require.lua52}, which turns a missing lua5.2 into a failure: CI never skips them.
 */
final class Lua52 {
    private Lua52() {}

    static final String BINARY = "/usr/bin/lua5.2";

    /** tostring of the chunk's first result under lua5.2. */
    static String eval(String chunk) throws Exception {
        if (Boolean.getBoolean("quire.require.lua52") && !new File(BINARY).canExecute()) {
            throw new AssertionError(BINARY + " is missing but this run requires it (scripts/install-prereqs.sh installs it)");
        }
        Assumptions.assumeTrue(new File(BINARY).canExecute(), "lua5.2 is not installed");
        File f = File.createTempFile("lua52-", ".lua");
        try {
            Files.writeString(f.toPath(), "local r = (function() " + chunk + "\nend)()\nio.write(tostring(r))", StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(BINARY, f.getPath()).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("lua5.2 timed out");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            f.delete();
        }
    }
}
