package io.jenkins.plugins.quire.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ParallelJobsTest {
    @Test
    void wholeNumbersFrom1To64AreTakenAndBlankIsTheDefault() {
        assertEquals(1, ParallelJobs.parse("1", "Parallel jobs"));
        assertEquals(64, ParallelJobs.parse(" 64 ", "Parallel jobs"));
        assertEquals(RunOptions.DEFAULT_PARALLEL, ParallelJobs.parse("  ", "Parallel jobs"));
        assertEquals(RunOptions.DEFAULT_PARALLEL, ParallelJobs.parse(null, "Parallel jobs"));
        assertNull(ParallelJobs.check("8", "Parallel jobs"));
    }

    @Test
    void anythingElseIsRefusedNamingTheSetting() {
        assertEquals("Parallel jobs '0' is not a whole number from 1 to 64", ParallelJobs.check("0", "Parallel jobs"));
        assertEquals("--parallel 'x' is not a whole number from 1 to 64", ParallelJobs.check("x", "--parallel"));
        assertEquals("--parallel '+3' is not a whole number from 1 to 64", ParallelJobs.check("+3", "--parallel"));
        assertThrows(IllegalArgumentException.class, () -> ParallelJobs.parse("65", "--parallel"));
        assertThrows(IllegalArgumentException.class, () -> RunOptions.builder(java.nio.file.Path.of("/tmp")).parallel(0));
    }
}
