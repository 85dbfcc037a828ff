package io.jenkins.plugins.quire.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code (ci.cache path)} through Fennel and the execute VM: normalisation, forbidden paths, duplicates, lines, listing. */
class CacheDeclarationTest {
    private static final String HEAD = PipelineLoaderTest.HEAD;
    private static final String JOB = "(ci.job :a [:quire/push] (fn [] nil))\n";

    @Test
    void cachesAreNormalisedAndKeptInDeclarationOrderWithTheirLines() throws Exception {
        Pipeline p = PipelineLoaderTest.pipeline(HEAD + "(ci.cache \"~/.m2/\")\n(ci.cache \"/cache//pip/./x\")\n" + JOB);
        assertEquals(List.of(new CacheDeclaration("~/.m2", 2), new CacheDeclaration("/cache/pip/x", 3)), p.caches());
    }

    @Test
    void validateListsTheCachesBeforeTheJobs() throws Exception {
        Pipeline p = PipelineLoaderTest.pipeline(HEAD + "(ci.image \"x\")\n(ci.cache \"~/.cache/pip\")\n" + JOB);
        assertEquals("Image: x\nCaches:\n  ~/.cache/pip\nJobs (topological order):\n  quire/push <- []\n  a <- [quire/push]\n"
                + "\nAll validations passed.\n", PipelineListing.of(p));
    }

    @Test
    void withoutCachesTheListingHasNoCachesLine() throws Exception {
        assertTrue(!PipelineListing.of(PipelineLoaderTest.pipeline(HEAD + JOB)).contains("Caches:"));
    }

    @Test
    void forbiddenPathsAreReportedWithTheirLineAndReason() {
        PipelineException e = PipelineLoaderTest.invalid(HEAD + "(ci.cache \"/\")\n(ci.cache \"/work/x\")\n"
                + "(ci.cache \"/proc\")\n(ci.cache \"/tmp/quire/a\")\n(ci.cache \"/.quire-agent\")\n(ci.cache \"rel\")\n"
                + "(ci.cache \"/a/../b\")\n(ci.cache \"~\")\n(ci.cache \"/dev/shm\")\n(ci.cache \"/tmp\")\n" + JOB);
        assertEquals(List.of(2, 3, 4, 5, 6, 7, 8, 9, 10, 11), e.diagnostics().stream().map(Diagnostic::line).toList());
        assertEquals("Cache '/' is not allowed: / cannot be a cache (the container needs what lies below it).", e.messages().get(0));
        assertEquals("Cache '/work/x' is not allowed: /work and what lies below it cannot be a cache (the workspace is mounted there).",
                e.messages().get(1));
        assertEquals("Cache 'rel' is not allowed: the path must be absolute (\"/cache/pip\") or in the home directory (\"~/.m2\").",
                e.messages().get(5));
        assertEquals("Cache '/a/../b' is not allowed: the path must not contain '..'.", e.messages().get(6));
        assertTrue(e.getMessage().contains("  ci.fnl:4: Cache '/proc' is not allowed: /proc cannot be a cache (the container needs it).\n"
                + "     4 | (ci.cache \"/proc\")"), e.getMessage());
    }

    @Test
    void theContainersProgramsAndSystemDirectoriesAreNeverACache() throws Exception {
        PipelineException e = PipelineLoaderTest.invalid(HEAD + "(ci.cache \"/usr/bin\")\n(ci.cache \"/etc/ssl\")\n"
                + "(ci.cache \"/usr\")\n(ci.cache \"/home\")\n(ci.cache \"/lib64/x\")\n" + JOB);
        assertEquals(List.of(2, 3, 4, 5, 6), e.diagnostics().stream().map(Diagnostic::line).toList());
        assertEquals("Cache '/usr/bin' is not allowed: /usr/bin cannot be a cache (the container needs it).", e.messages().get(0));
        assertEquals("Cache '/etc/ssl' is not allowed: /etc and what lies below it cannot be a cache (the container needs it).",
                e.messages().get(1));
        assertEquals("Cache '/usr' is not allowed: /usr cannot be a cache (the container needs what lies below it).",
                e.messages().get(2));
        // a directory of its own below them is fine
        PipelineLoaderTest.pipeline(HEAD + "(ci.cache \"/usr/local/cargo\")\n(ci.cache \"/home/ci/.m2\")\n" + JOB);
    }

    @Test
    void aPathDeclaredTwiceAfterNormalisationIsAnErrorAtTheSecondCall() {
        PipelineException e = PipelineLoaderTest.invalid(HEAD + "(ci.cache \"~/.m2\")\n" + JOB + "(ci.cache \"~//.m2/\")\n");
        assertEquals(List.of(new Diagnostic(4, "Cache '~/.m2' is declared more than once.")), e.diagnostics());
    }

    @Test
    void aNonStringIsALuaErrorAtTheCall() {
        PipelineException e = PipelineLoaderTest.invalid(HEAD + JOB + "(ci.cache 42)\n");
        assertEquals(3, e.diagnostics().get(0).line());
        assertTrue(e.messages().get(0).contains("ci.cache: the cache directory must be a string"), e.messages().get(0));
    }

    @Test
    void homePathsResolveAgainstTheHome() {
        assertEquals("/home/quire/.m2", CachePaths.resolve("~/.m2", "/home/quire"));
        assertEquals("/.m2", CachePaths.resolve("~/.m2", "/"));
        assertEquals("/cache", CachePaths.resolve("/cache", "/root"));
        assertThrows(IllegalArgumentException.class, () -> CachePaths.normalise("/a\nb"));
    }
}
