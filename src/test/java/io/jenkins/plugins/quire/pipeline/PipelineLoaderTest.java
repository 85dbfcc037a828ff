package io.jenkins.plugins.quire.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Loading real ci.fnl text through Fennel and the execute VM: registration, every validation rule with its exact
 * message and ci.fnl line, errors reported together, and the order jobs run in (docs/language.md).
 */
class PipelineLoaderTest {
    static final String HEAD = "(local ci (require :quire.ci))\n";

    static LoadedPipeline load(String source) throws PipelineException {
        return PipelineLoader.load(source, "ci.fnl", SandboxLimits.defaults());
    }

    static Pipeline pipeline(String source) throws PipelineException {
        try (LoadedPipeline loaded = load(source)) {
            return loaded.pipeline();
        }
    }

    static PipelineException invalid(String source) {
        return assertThrows(PipelineException.class, () -> load(source).close());
    }

    static List<String> ids(List<JobDefinition> jobs) {
        return jobs.stream().map(JobDefinition::id).toList();
    }

    @Test
    void registersASingleJobWithItsInputsLineAndRunFunction() throws Exception {
        try (LoadedPipeline loaded = load(HEAD + "(ci.job :test [:quire/push] (fn [] nil))\n")) {
            Pipeline p = loaded.pipeline();
            assertEquals(List.of("test"), ids(p.userJobs()));
            JobDefinition test = p.job("test").orElseThrow();
            assertEquals(List.of("quire/push"), test.inputs());
            assertEquals(2, test.line());
            assertTrue(test.runFn().isfunction());
            assertFalse(test.isSource());
            assertEquals(Optional.empty(), p.image());
        }
    }

    @Test
    void registersMultipleJobsInTopologicalOrder() throws Exception {
        Pipeline p = pipeline(HEAD + "(ci.job :build [:quire/push] (fn [] nil))\n(ci.job :test [:build] (fn [] nil))\n");
        assertEquals(List.of("quire/push", "build", "test"), ids(p.topologicalOrder()));
        assertEquals(List.of("build", "test", "quire/push"), ids(p.jobs()));
        assertTrue(p.job("quire/push").orElseThrow().isSource());
    }

    @Test
    void capturesTheSourceLineOfEachRegistration() throws Exception {
        Pipeline p = pipeline(HEAD
                + "(ci.job :a [:quire/push] (fn [] nil))\n"
                + "(ci.job :b [:quire/push] (fn [] nil))\n"
                + "\n"
                + ";; a comment\n"
                + "(ci.job :c [:quire/push] (fn [] nil))\n");
        assertEquals(List.of(2, 3, 6), p.userJobs().stream().map(JobDefinition::line).toList());
    }

    @Test
    void multiLineJobFormRecordsItsFirstLineUnlikeQuire() throws Exception {
        // quire records the line where the inline fn ends (a quirk); the source map gives the form's start
        try (LoadedPipeline loaded = load(HEAD
                + "(ci.job :multi [:quire/push]\n"
                + "  (fn [{: sh}]\n"
                + "    (sh \"true\")))\n")) {
            int line = loaded.pipeline().job("multi").orElseThrow().line();
            assertEquals(2, line);
        }
    }

    @Test
    void registersThePipelineImageAndItsLine() throws Exception {
        Pipeline p = pipeline(HEAD + "\n(ci.image \"alpine\")\n");
        assertEquals(Optional.of("alpine"), p.image());
        assertEquals(3, p.imageLine());
    }

    @Test
    void destructuredJobAndImageWork() throws Exception {
        Pipeline p = pipeline("(local {: job : image} (require :quire.ci))\n"
                + "(image \"debian:bookworm\")\n"
                + "(job :lint [:quire/push] (fn [{: sh}] (sh \"true\")))\n");
        assertEquals(Optional.of("debian:bookworm"), p.image());
        assertEquals(List.of("lint"), ids(p.userJobs()));
        assertEquals(3, p.job("lint").orElseThrow().line());
    }

    @Test
    void jobsRegisteredInLoopsAndHelpersShareTheCallingLine() throws Exception {
        Pipeline p = pipeline(HEAD
                + "(each [_ name (ipairs [:unit :lint :docs])]\n"
                + "  (ci.job name [:quire/push] (fn [] nil)))\n"
                + "(fn deploy [env]\n"
                + "  (ci.job (.. :deploy- env) [:unit :lint] (fn [] env)))\n"
                + "(deploy :staging)\n"
                + "(deploy :prod)\n");
        assertEquals(List.of("unit", "lint", "docs", "deploy-staging", "deploy-prod"), ids(p.userJobs()));
        assertEquals(List.of(3, 3, 3, 5, 5), p.userJobs().stream().map(JobDefinition::line).toList());
        assertEquals(List.of("quire/push", "unit", "lint", "docs", "deploy-staging", "deploy-prod"),
                ids(p.topologicalOrder()));
    }

    @Test
    void forwardReferencesAreFine() throws Exception {
        Pipeline p = pipeline(HEAD + "(ci.job :b [:a] (fn [] nil))\n(ci.job :a [:quire/push] (fn [] nil))\n");
        assertEquals(List.of("quire/push", "a", "b"), ids(p.topologicalOrder()));
    }

    @Test
    void emptyAndCommentOnlyFilesAreValidWithOnlyQuirePush() throws Exception {
        for (String source : List.of("", ";; nothing to do yet\n", HEAD)) {
            Pipeline p = pipeline(source);
            assertEquals(List.of("quire/push"), ids(p.topologicalOrder()), source);
            assertEquals(List.of(), p.userJobs());
        }
    }

    @Test
    void slashInJobIdIsReservedWithItsLine() {
        PipelineException e = invalid(HEAD + "\n(ci.job :foo/bar [:quire/push] (fn [] nil))\n");
        assertEquals(List.of(new Diagnostic(3,
                "Job id 'foo/bar' contains '/', which is reserved for the 'quire/' source namespace.")), e.diagnostics());
        assertTrue(e.getMessage().startsWith("ci.fnl has errors\n  ci.fnl:3: Job id 'foo/bar' contains '/'"),
                e.getMessage());
    }

    @Test
    void userJobCalledQuirePushIsRejected() {
        PipelineException e = invalid(HEAD + "(ci.job :quire/push [:quire/push] (fn [] nil))\n");
        assertEquals(List.of(new Diagnostic(2,
                "Job id 'quire/push' contains '/', which is reserved for the 'quire/' source namespace.")), e.diagnostics());
    }

    @Test
    void pathUnsafeJobIdIsRejectedWithItsLine() {
        PipelineException e = invalid(HEAD + "(ci.job \"..\" [:quire/push] (fn [] nil))\n(ci.job \"a b\" [:quire/push] (fn [] nil))\n");
        assertEquals(List.of(
                new Diagnostic(2, JobIds.notPathSafe("..")), new Diagnostic(3, JobIds.notPathSafe("a b"))), e.diagnostics());
        assertTrue(e.messages().get(0).startsWith("Job id '..' is not allowed: use only letters, digits"));
    }

    @Test
    void emptyInputsAreRejectedWithItsLine() {
        PipelineException e = invalid(HEAD + "(ci.job :setup [] (fn [] nil))\n");
        assertEquals(List.of(new Diagnostic(2, "Job 'setup' has empty inputs. Pass [:quire/push] (or another trigger)"
                + " so it has something to fire it.")), e.diagnostics());
    }

    @Test
    void duplicateJobIsReportedAtTheSecondRegistration() {
        PipelineException e = invalid(HEAD + "(ci.job :build [:quire/push] (fn [] nil))\n"
                + "(ci.job :build [:quire/push] (fn [] nil))\n");
        assertEquals(List.of(new Diagnostic(3, "Job 'build' is registered more than once.")), e.diagnostics());
    }

    @Test
    void duplicateImageFailsWithTheHeaderAndMentionsImage() {
        PipelineException e = invalid(HEAD + "(ci.image \"alpine\")\n(ci.image \"debian\")\n");
        assertEquals(List.of(new Diagnostic(3, "Pipeline image declared more than once.")), e.diagnostics());
        assertTrue(e.getMessage().startsWith("ci.fnl has errors\n"));
    }

    @Test
    void cycleIsReportedWithItsMembersAndLine() {
        PipelineException e = invalid(HEAD + "(ci.job :a [:b] (fn [] nil))\n(ci.job :b [:a] (fn [] nil))\n");
        assertEquals(List.of(new Diagnostic(2, -1, "Cycle detected among jobs: a, b", List.of(3))), e.diagnostics());
        assertEquals("ci.fnl has errors\n"
                + "  ci.fnl:2: Cycle detected among jobs: a, b\n"
                + "     2 | (ci.job :a [:b] (fn [] nil))\n"
                + "     3 | (ci.job :b [:a] (fn [] nil))", e.getMessage());
    }

    @Test
    void unreachableJobIsReportedWithItsLine() {
        PipelineException e = invalid(HEAD + "(ci.job :a [:b] (fn [] nil))\n(ci.job :b [:a] (fn [] nil))\n"
                + "(ci.job :c [:a] (fn [] nil))\n");
        assertEquals(List.of(new Diagnostic(2, -1, "Cycle detected among jobs: a, b", List.of(3)),
                new Diagnostic(4, "Job 'c' is not reachable from any trigger (e.g. :quire/push).")), e.diagnostics());
    }

    @Test
    void unknownInputIsReportedWithItsLine() {
        PipelineException e = invalid(HEAD + "(ci.job :x [:quire/push :typo] (fn [] nil))\n");
        assertEquals(List.of(new Diagnostic(2, "Job 'x' lists unknown input 'typo'.")), e.diagnostics());
    }

    @Test
    void definitionErrorsAreReportedTogetherAndShortCircuitStructureChecks() {
        PipelineException e = invalid(HEAD
                + "(ci.image \"a\")\n"
                + "(ci.job :foo/bar [:quire/push] (fn [] nil))\n"
                + "(ci.job :setup [] (fn [] nil))\n"
                + "(ci.job :orphan [:nowhere] (fn [] nil))\n"
                + "(ci.image \"b\")\n");
        assertEquals(List.of(3, 4, 6), e.diagnostics().stream().map(Diagnostic::line).toList());
        assertEquals(List.of(
                "Job id 'foo/bar' contains '/', which is reserved for the 'quire/' source namespace.",
                "Job 'setup' has empty inputs. Pass [:quire/push] (or another trigger) so it has something to fire it.",
                "Pipeline image declared more than once."), e.messages());
        assertEquals("ci.fnl has errors\n"
                + "  ci.fnl:3: Job id 'foo/bar' contains '/', which is reserved for the 'quire/' source namespace.\n"
                + "     3 | (ci.job :foo/bar [:quire/push] (fn [] nil))\n"
                + "  ci.fnl:4: Job 'setup' has empty inputs. Pass [:quire/push] (or another trigger) so it has something to fire it.\n"
                + "     4 | (ci.job :setup [] (fn [] nil))\n"
                + "  ci.fnl:6: Pipeline image declared more than once.\n"
                + "     6 | (ci.image \"b\")", e.getMessage());
    }

    @Test
    void structureErrorsAreReportedTogether() {
        PipelineException e = invalid(HEAD
                + "(ci.job :x [:quire/push :typo] (fn [] nil))\n"
                + "(ci.job :a [:b] (fn [] nil))\n"
                + "(ci.job :b [:a] (fn [] nil))\n"
                + "(ci.job :c [:d] (fn [] nil))\n"
                + "(ci.job :d [:c] (fn [] nil))\n"
                + "(ci.job :e [:d] (fn [] nil))\n");
        assertEquals(List.of(
                new Diagnostic(2, "Job 'x' lists unknown input 'typo'."),
                new Diagnostic(3, -1, "Cycle detected among jobs: a, b", List.of(4)),
                new Diagnostic(5, -1, "Cycle detected among jobs: c, d", List.of(6)),
                new Diagnostic(7, "Job 'e' is not reachable from any trigger (e.g. :quire/push).")), e.diagnostics());
    }
}
