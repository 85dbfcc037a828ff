package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Validation of exec requests before anything reaches Docker: working dir confined to /work, argv and env checks. */
class ExecRequestTest {
    @Test
    void stringCommandBecomesShC() {
        assertEquals(List.of("sh", "-c", "make test"), ExecRequest.shell("make test").argv());
    }

    @Test
    void workDirDefaultsToWorkAndRelativePathsResolveAgainstIt() {
        assertEquals("/work", ExecRequest.argv("true").workDir());
        assertEquals("/work/a/b", ExecRequest.argv("true").withWorkDir("a/./b").workDir());
        assertEquals("/work/b", ExecRequest.argv("true").withWorkDir("/work/a/../b").workDir());
        assertEquals("/work", ExecRequest.argv("true").withWorkDir("/work/").workDir());
    }

    @Test
    void workDirOutsideWorkIsRejectedWithAClearMessage() {
        for (String bad : List.of("/etc", "..", "../x", "/work/../etc", "/workspace", "/")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ExecRequest.argv("true").withWorkDir(bad), bad);
            assertEquals("working directory '" + bad + "' is outside /work (commands run in the workspace mounted at /work)",
                    e.getMessage());
        }
    }

    @Test
    void emptyArgvAndBadEnvNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ExecRequest.argv(List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecRequest.argv("true").withEnv(Map.of("A=B", "x")));
        assertTrue(e.getMessage().contains("A=B"));
        assertThrows(IllegalArgumentException.class,
                () -> ExecRequest.argv("true").withEnv(Map.of(RunContainer.TOKEN_VARIABLE, "x")));
    }

    @Test
    void zeroTimeoutMeansNone() {
        assertNull(ExecRequest.argv("true").withTimeout(Duration.ZERO).timeout());
        assertEquals(Duration.ofSeconds(3), ExecRequest.argv("true").withTimeout(Duration.ofSeconds(3)).timeout());
    }

    @Test
    void aTimeoutTooLargeForTheClockIsRefusedUpFront() {
        for (Duration huge : List.of(Duration.ofMillis(Long.MAX_VALUE), Duration.ofSeconds(9_300_000_000_000_000L),
                ExecRequest.MAX_TIMEOUT.plusMillis(1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ExecRequest.argv("true").withTimeout(huge), huge.toString());
            assertTrue(e.getMessage().startsWith("exec timeout must be at most 365 days"), e.getMessage());
        }
        assertEquals(ExecRequest.MAX_TIMEOUT, ExecRequest.argv("true").withTimeout(ExecRequest.MAX_TIMEOUT).timeout());
    }

    @Test
    void stringsTheKernelWouldRefuseAreRefusedWithAClearMessage() {
        String big = "a".repeat(ExecRequest.MAX_STRING_BYTES + 1);
        IllegalArgumentException cmd = assertThrows(IllegalArgumentException.class, () -> ExecRequest.shell(big));
        assertEquals("command argument 3 is too long (131072 bytes; the kernel accepts at most 131071 per argument)",
                cmd.getMessage());
        IllegalArgumentException env = assertThrows(IllegalArgumentException.class,
                () -> ExecRequest.argv("true").withEnv(Map.of("BIG", big)));
        assertTrue(env.getMessage().startsWith("environment variable 'BIG' is too long (131076 bytes"), env.getMessage());
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> ExecRequest.argv("true").withEnv(Map.of("A\0B", "x")));
        assertEquals("invalid environment variable name 'A?B'", nul.getMessage());
        IllegalArgumentException segment = assertThrows(IllegalArgumentException.class,
                () -> ExecRequest.argv("true").withWorkDir("d/" + "s".repeat(256)));
        assertTrue(segment.getMessage().endsWith("has a path segment longer than 255 bytes"), segment.getMessage());
        String deep = ("d".repeat(200) + "/").repeat(21);
        IllegalArgumentException path = assertThrows(IllegalArgumentException.class,
                () -> ExecRequest.argv("true").withWorkDir(deep));
        assertTrue(path.getMessage().endsWith("is longer than 4096 bytes"), path.getMessage());
        assertEquals("/work/" + "s".repeat(255), ExecRequest.argv("true").withWorkDir("s".repeat(255)).workDir());
    }

    @Test
    void toStringNeverShowsEnvValues() {
        String s = ExecRequest.argv("deploy").withEnv(Map.of("TOKEN", "s3cr3t")).toString();
        assertTrue(!s.contains("s3cr3t"), s);
    }
}
