package io.jenkins.plugins.quire.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The graph rules and messages over a model built in Java (no Lua involved): cycles, reachability, unknown inputs. */
class StructureRulesTest {
    private static final String PUSH = "quire/push";

    private static PipelineException invalid(PipelineBuilder b) {
        return assertThrows(PipelineException.class, () -> b.build("ci.fnl", null));
    }

    @Test
    void validConfigWithSharedInputPasses() throws Exception {
        Pipeline p = new PipelineBuilder()
                .job("build", List.of(PUSH), 1, null)
                .job("test", List.of("build", PUSH), 2, null)
                .build("ci.fnl", null);
        assertEquals(List.of("build", "test", PUSH), p.jobs().stream().map(JobDefinition::id).toList());
    }

    @Test
    void twoJobCycleIsReportedWithBothMembersAndTheFirstMembersLine() {
        PipelineException e = invalid(new PipelineBuilder()
                .job("b", List.of("a"), 3, null)
                .job("a", List.of("b"), 4, null));
        assertEquals(List.of(new Diagnostic(3, -1, "Cycle detected among jobs: a, b", List.of(4))), e.diagnostics());
    }

    @Test
    void cycleErrorListsOnlyCycleMembersAndMembersAreNotAlsoUnreachable() {
        PipelineException e = invalid(new PipelineBuilder()
                .job("a", List.of(PUSH, "b"), 1, null)
                .job("b", List.of(PUSH, "a"), 2, null)
                .job("clean", List.of(PUSH), 3, null));
        assertEquals(List.of("Cycle detected among jobs: a, b"), e.messages());
    }

    @Test
    void unreachableCycleMembersAreNotDoubleReported() {
        PipelineException e = invalid(new PipelineBuilder()
                .job("a", List.of("b"), 1, null)
                .job("b", List.of("a"), 2, null));
        assertEquals(List.of("Cycle detected among jobs: a, b"), e.messages());
    }

    @Test
    void jobDownstreamOfACycleIsUnreachableToo() {
        PipelineException e = invalid(new PipelineBuilder()
                .job("a", List.of("b"), 1, null)
                .job("b", List.of("a"), 2, null)
                .job("c", List.of("a"), 3, null));
        assertEquals(List.of(new Diagnostic(1, -1, "Cycle detected among jobs: a, b", List.of(2)),
                new Diagnostic(3, "Job 'c' is not reachable from any trigger (e.g. :quire/push).")), e.diagnostics());
    }

    @Test
    void disjointCyclesGiveSeparateErrors() {
        PipelineException e = invalid(new PipelineBuilder()
                .job("d", List.of("c"), 1, null)
                .job("c", List.of("d"), 2, null)
                .job("a", List.of("b"), 3, null)
                .job("b", List.of("a"), 4, null));
        assertEquals(List.of("Cycle detected among jobs: c, d", "Cycle detected among jobs: a, b"), e.messages());
    }

    @Test
    void selfInputIsAOneMemberCycle() {
        PipelineException e = invalid(new PipelineBuilder().job("a", List.of(PUSH, "a"), 7, null));
        assertEquals(List.of(new Diagnostic(7, "Cycle detected among jobs: a")), e.diagnostics());
    }

    @Test
    void unknownInputIsReportedOncePerNameAndNotAlsoAsUnreachable() {
        PipelineException e = invalid(new PipelineBuilder()
                .job("orphan", List.of("a", "a"), 5, null)
                .job("x", List.of(PUSH, "typo"), 6, null)
                .job("y", List.of("orphan"), 7, null));
        assertEquals(List.of(
                new Diagnostic(5, "Job 'orphan' lists unknown input 'a'."),
                new Diagnostic(6, "Job 'x' lists unknown input 'typo'."),
                new Diagnostic(7, "Job 'y' is not reachable from any trigger (e.g. :quire/push).")), e.diagnostics());
    }

    @Test
    void unknownSourceRefIsAnUnknownInput() {
        PipelineException e = invalid(new PipelineBuilder().job("nightly", List.of("quire/cron"), 2, null));
        assertEquals(List.of("Job 'nightly' lists unknown input 'quire/cron'."), e.messages());
    }

    @Test
    void diamondIsValidAndOrdered() throws Exception {
        Pipeline p = new PipelineBuilder()
                .job("d", List.of("b", "c"), 1, null)
                .job("c", List.of("a"), 2, null)
                .job("b", List.of("a"), 3, null)
                .job("a", List.of(PUSH), 4, null)
                .build("ci.fnl", null);
        assertEquals(List.of(PUSH, "a", "c", "b", "d"), ids(p.topologicalOrder()));
    }

    @Test
    void definitionErrorsShortCircuitStructureChecks() {
        PipelineException e = invalid(new PipelineBuilder()
                .job("setup", List.of(), 1, null)
                .job("orphan", List.of("nowhere"), 2, null));
        assertEquals(List.of(new Diagnostic(1,
                "Job 'setup' has empty inputs. Pass [:quire/push] (or another trigger) so it has something to fire it.")),
                e.diagnostics());
    }

    @Test
    void longChainDoesNotOverflowTheStack() throws Exception {
        PipelineBuilder b = new PipelineBuilder().job("j0", List.of(PUSH), 1, null);
        int last = PipelineBuilder.MAX_JOBS - 2; // the longest chain the job cap allows, plus j0x
        for (int i = 1; i <= last; i++) b.job("j" + i, List.of("j" + (i - 1)), i + 1, null);
        b.job("j0x", List.of("j" + last, "j0x"), 1, null);
        PipelineException e = invalid(b);
        assertEquals(List.of("Cycle detected among jobs: j0x"), e.messages());
    }

    static List<String> ids(List<JobDefinition> jobs) {
        return jobs.stream().map(JobDefinition::id).toList();
    }
}
