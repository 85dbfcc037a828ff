package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.container.CacheVolume;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code quire-ci cache}'s command line, in-process and without Docker: actions, PATH, options and their errors. */
class CacheCommandTest {
    @Test
    void actionPathAndWorkspaceAreSplitInAnyOrderAndThePathIsNormalised() throws Exception {
        CacheCommand.Request r = CacheCommand.parse(List.of("clear", "--workspace", "/tmp/ws", "~//.m2/"));
        assertEquals("clear", r.action());
        assertEquals("~/.m2", r.path());
        assertEquals("/tmp/ws", r.options().value("--workspace", "."));
        CacheCommand.Request l = CacheCommand.parse(List.of("--workspace=/w", "list"));
        assertEquals("list", l.action());
        assertNull(l.path());
    }

    @Test
    void wrongCommandLinesExit2NamingWhatIsWrong() {
        CliRun none = CliRun.of("cache");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("'cache' needs an action: list or clear"), none.err());
        CliRun unknown = CliRun.of("cache", "purge");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown action 'purge' for 'cache'"), unknown.err());
        CliRun extra = CliRun.of("cache", "list", "/x");
        assertEquals(2, extra.exit());
        assertTrue(extra.err().contains("unexpected argument '/x' for 'cache list'"), extra.err());
        CliRun bad = CliRun.of("cache", "clear", "/work/x");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("cache path '/work/x': /work and what lies below it cannot be a cache"), bad.err());
        CliRun option = CliRun.of("cache", "list", "--force");
        assertEquals(2, option.exit());
        assertTrue(option.err().contains("unknown option '--force' for 'cache'"), option.err());
    }

    @Test
    void helpPrintsTheUsageAndTheMainHelpListsTheCommand() {
        CliRun help = CliRun.of("cache", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("cache clear [--workspace DIR] [PATH]"), help.out());
        assertTrue(CliRun.of("--help").out().contains("cache list [--workspace DIR]"));
    }

    @Test
    void aListingLineNamesPathVolumeSizeAndCreation() {
        assertEquals("~/.m2  quire-cache-ab  size 20.1 MB  created 2026-01-02T03:04:05Z",
                CacheCommand.line(new CacheVolume("quire-cache-ab", "/w", "~/.m2", "2026-01-02T03:04:05Z", 20_100_000L)));
        assertEquals("/c  v  size unknown  created (unknown)", CacheCommand.line(new CacheVolume("v", "/w", "/c", "")));
    }
}
