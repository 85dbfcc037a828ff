package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Job ids name scratch directories only when they cannot leave /tmp/quire; the run spec carries them once each. */
class JobScratchTest {
    @Test
    void eachJobsDirectoryIsNamedAfterIt() {
        assertEquals("/tmp/quire/build", JobScratch.dirOf("build"));
        assertEquals("/tmp/quire/quire.push-2_x", JobScratch.dirOf("quire.push-2_x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "../etc", "a b", "a\nb", "ü"})
    void idsThatCannotNameADirectoryOfTheirOwnAreRefusedByName(String id) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobScratch.dirOf(id));
        assertTrue(e.getMessage().startsWith("job id '" + id + "' cannot name a scratch directory under /tmp/quire"),
                e.getMessage());
    }

    @Test
    void theRunSpecCarriesEachJobOnceAndChecksThem() {
        RunSpec spec = RunSpec.of("img", Path.of(System.getProperty("java.io.tmpdir")), "r", "cli");
        assertEquals(List.of(), spec.jobScratch());
        assertEquals(List.of("a", "b"), spec.withJobScratch(List.of("a", "b", "a")).jobScratch());
        assertEquals(List.of("a"), spec.withJobScratch(List.of("a")).withUser("1000:1000").withMemoryBytes(null)
                .withNetworkMode("none").jobScratch(), "kept by the other with* methods");
        assertThrows(IllegalArgumentException.class, () -> spec.withJobScratch(List.of("ok", "..")));
    }
}
