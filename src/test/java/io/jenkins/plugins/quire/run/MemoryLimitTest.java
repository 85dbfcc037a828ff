package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The memory limit as users type it ({@code --memory}, the build step's field), read like {@code docker run -m}. */
class MemoryLimitTest {
    @Test
    void sizesWithDockerUnitsAreRead() {
        assertEquals(512L << 20, MemoryLimit.parse("512m", "--memory"));
        assertEquals(512L << 20, MemoryLimit.parse(" 512M ", "--memory"));
        assertEquals(512L << 20, MemoryLimit.parse("512MiB", "--memory"));
        assertEquals(2L << 30, MemoryLimit.parse("2g", "--memory"));
        assertEquals(3L << 29, MemoryLimit.parse("1.5g", "--memory"));
        assertEquals(64L << 20, MemoryLimit.parse("65536k", "--memory"));
        assertEquals(67108864L, MemoryLimit.parse("67108864", "--memory"));
        assertNull(MemoryLimit.parse("", "--memory"));
        assertNull(MemoryLimit.parse(null, "--memory"));
    }

    @Test
    void garbageTooSmallAndTooLargeAreRefusedNamingTheSetting() {
        assertEquals("--memory 'lots' is not a memory size: use a number with an optional unit k, m or g, such as 512m"
                + " or 2g", assertThrows(IllegalArgumentException.class, () -> MemoryLimit.parse("lots", "--memory"))
                .getMessage());
        assertEquals("Memory limit '-1g' is not a memory size: use a number with an optional unit k, m or g, such as"
                + " 512m or 2g", MemoryLimit.check("-1g", "Memory limit"));
        assertEquals("--memory '5m' is too small: Docker needs at least 6m", MemoryLimit.check("5m", "--memory"));
        assertEquals("--memory '2048t' is too large: at most 1024t", MemoryLimit.check("2048t", "--memory"));
        assertEquals("--memory '99999999999999999999g' is too large: at most 1024t",
                MemoryLimit.check("99999999999999999999g", "--memory"));
        assertEquals("--memory '512 m b x' is not a memory size: use a number with an optional unit k, m or g, such as"
                + " 512m or 2g", MemoryLimit.check("512 m b x", "--memory"));
    }
}
