package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
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
    void fallsBackToTheBuildEnvironmentWithoutARepository(@TempDir Path ws) throws Exception {
        ObjectNode push = PushInfo.read(ws, Map.of("GIT_COMMIT", "c".repeat(40), "GIT_BRANCH", "origin/release"));
        assertEquals("c".repeat(40), push.get("sha").textValue());
        assertEquals("refs/heads/release", push.get("ref").textValue());
        assertEquals("release", push.get("branch").textValue());
        assertFalse(push.has("tag"));
        assertFalse(push.has("previous-sha"));
    }

    @Test
    void absentFieldsStayAbsent(@TempDir Path ws) throws Exception {
        assertEquals("{}", PushInfo.read(ws, Map.of()).toString());
    }

    private static void commit(Path ws) throws Exception {
        sh(ws, "git", "init", "-q", "-b", "main");
        Files.writeString(ws.resolve("f"), "x");
        sh(ws, "git", "add", "f");
        sh(ws, "git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one");
    }

    @Test
    void aFifoInDotGitEndsAtTheDeadlineWithAClearMessage(@TempDir Path ws) throws Exception {
        commit(ws);
        Path head = ws.resolve(".git/HEAD");
        Files.delete(head);
        sh(ws, "mkfifo", head.toString());
        // the hang guard is generous; the bound under test is the injected deadline, which git cannot outlive
        TimeoutException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(
                TimeoutException.class, () -> PushInfo.read(ws, Map.of(), Duration.ofMillis(300))));
        assertTrue(e.getMessage().contains("did not finish within 300 ms"), e.getMessage());
        assertTrue(e.getMessage().contains(ws.resolve(".git").toString()), e.getMessage());
    }

    @Test
    void programsNamedInTheWorkspacesGitConfigAreNotRun(@TempDir Path tmp) throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        commit(ws);
        Path ran = tmp.resolve("ran");
        Path evil = tmp.resolve("evil.sh");
        Files.writeString(evil, "#!/bin/sh\necho \"$0 $*\" >> " + ran + "\n");
        assertTrue(evil.toFile().setExecutable(true));
        for (String key : new String[] {"core.fsmonitor", "core.pager", "core.sshCommand", "gpg.program",
                "core.alternateRefsCommand"}) {
            sh(ws, "git", "config", key, evil.toString());
        }
        Path hooks = Files.createDirectories(tmp.resolve("hooks"));
        for (String h : new String[] {"reference-transaction", "post-index-change", "fsmonitor-watchman"}) {
            Files.copy(evil, hooks.resolve(h));
            assertTrue(hooks.resolve(h).toFile().setExecutable(true));
        }
        sh(ws, "git", "config", "core.hooksPath", hooks.toString());
        ObjectNode push = PushInfo.read(ws, Map.of());
        assertEquals("refs/heads/main", push.get("ref").textValue());
        assertFalse(Files.exists(ran), () -> "ran: " + ran);
    }
}
