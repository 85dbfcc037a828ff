package io.jenkins.plugins.quire.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HOME's rule, where caches are mounted, which directories above them the exec user gets, and volume names. */
class CacheHomeTest {
    @Test
    void aPasswdHomeIsKeptAndNoneOrSlashFallsBack() {
        assertEquals("/home/node", CacheHome.of("/home/node"));
        assertEquals("/home/quire", CacheHome.of("/"));
        assertEquals("/home/quire", CacheHome.of(""));
        assertEquals("/home/quire", CacheHome.of(AgentEnvironment.resolve("1234:1234", "root:x:0:0::/root:/bin/sh\n", null).home()));
        assertEquals("/root", CacheHome.of(AgentEnvironment.resolve("0", "root:x:0:0::/root:/bin/sh\n", null).home()));
    }

    @Test
    void homeCachesMountInHomeAndTheDirectoriesAboveThemAreListed() {
        assertEquals("/home/quire/.cache/pip", CacheHome.mountPoint("~/.cache/pip", "/home/quire"));
        assertEquals("/root/.m2", CacheHome.mountPoint("~/.m2", "/root/"));
        assertEquals("/cache/pip", CacheHome.mountPoint("/cache/pip", "/home/quire"));
        assertEquals(List.of("/home/quire", "/home/quire/.cache"), CacheHome.dirsAbove("~/.cache/pip", "/home/quire"));
        assertEquals(List.of("/root"), CacheHome.dirsAbove("~/.m2", "/root/"));
        assertEquals(List.of(), CacheHome.dirsAbove("/cache/pip", "/root"));
    }

    @Test
    void volumeNamesAreStableHashesOfOwnerAndPath() {
        String n = CacheVolumes.nameOf("/ws", "~/.m2");
        assertEquals(n, CacheVolumes.nameOf("/ws", "~/.m2"));
        assertEquals("quire-cache-".length() + 32, n.length());
        assertNotEquals(n, CacheVolumes.nameOf("/ws2", "~/.m2"));
        assertNotEquals(n, CacheVolumes.nameOf("/ws", "~/.m3"));
        assertNotEquals(CacheVolumes.nameOf("a", "b\0c"), CacheVolumes.nameOf("a\0b", "c"));
    }

    @Test
    void aRunSpecRefusesRelativeCachePathsAndCachesWithoutOwner(@TempDir Path ws) {
        RunSpec s = RunSpec.of("img", ws, "r", "cli");
        assertThrows(IllegalArgumentException.class, () -> s.withCaches("o", List.of("rel")));
        assertThrows(IllegalArgumentException.class, () -> s.withCaches("", List.of("/c")));
        assertEquals(List.of("/c", "~/.m2"), s.withCaches("o", List.of("/c", "~/.m2", "/c")).withUser("1:1").caches());
    }
}
