package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushInfoTest {
    private static String sh(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    @Test
    void readsShaRefBranchAndTagFromTheWorkspaceRepository(@TempDir Path ws) throws Exception {
        sh(ws, "git", "init", "-q", "-b", "main");
        Files.writeString(ws.resolve("f"), "x");
        sh(ws, "git", "add", "f");
        sh(ws, "git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one");
        sh(ws, "git", "tag", "v1");
        String sha = sh(ws, "git", "rev-parse", "HEAD");
        ObjectNode push = PushInfo.read(ws, Map.of("GIT_PREVIOUS_COMMIT", "p".repeat(40), "BUILD_NUMBER", "7",
                "JOB_NAME", "demo"));
        assertEquals(sha, push.get("sha").textValue());
        assertEquals("refs/heads/main", push.get("ref").textValue());
        assertEquals("main", push.get("branch").textValue());
        assertEquals("v1", push.get("tag").textValue());
        assertEquals("p".repeat(40), push.get("previous-sha").textValue());
        assertEquals(7, push.get("build-number").intValue());
        assertEquals("demo", push.get("job-name").textValue());
    }

    @Test
    void fallsBackToTheBuildEnvironmentWithoutARepository(@TempDir Path ws) {
        ObjectNode push = PushInfo.read(ws, Map.of("GIT_COMMIT", "c".repeat(40), "GIT_BRANCH", "origin/release"));
        assertEquals("c".repeat(40), push.get("sha").textValue());
        assertEquals("refs/heads/release", push.get("ref").textValue());
        assertEquals("release", push.get("branch").textValue());
        assertFalse(push.has("tag"));
        assertFalse(push.has("previous-sha"));
    }

    @Test
    void absentFieldsStayAbsent(@TempDir Path ws) {
        assertEquals("{}", PushInfo.read(ws, Map.of()).toString());
    }
}
