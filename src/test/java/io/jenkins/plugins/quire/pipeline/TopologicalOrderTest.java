package io.jenkins.plugins.quire.pipeline;

import static io.jenkins.plugins.quire.pipeline.StructureRulesTest.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Run order (Kahn, registration order among ready jobs) and the transitive-input view used by {@code (jobs name)}. */
class TopologicalOrderTest {
    private static final String PUSH = "quire/push";

    @Test
    void independentSiblingsKeepRegistrationOrderUnlikeQuire() throws Exception {
        Pipeline p = new PipelineBuilder()
                .job("a", List.of(PUSH), 1, null).job("b", List.of(PUSH), 2, null).job("c", List.of(PUSH), 3, null)
                .build("ci.fnl", null);
        assertEquals(List.of(PUSH, "a", "b", "c"), ids(p.topologicalOrder()));
    }

    @Test
    void readyJobRegisteredEarlierRunsBeforeALaterChain() throws Exception {
        Pipeline p = new PipelineBuilder()
                .job("lint", List.of(PUSH), 1, null).job("build", List.of(PUSH), 2, null)
                .job("test", List.of("build"), 3, null)
                .build("ci.fnl", null);
        assertEquals(List.of(PUSH, "lint", "build", "test"), ids(p.topologicalOrder()));
    }

    @Test
    void forwardReferenceRunsAfterItsInput() throws Exception {
        Pipeline p = new PipelineBuilder()
                .job("b", List.of("a"), 1, null).job("a", List.of(PUSH), 2, null)
                .build("ci.fnl", null);
        assertEquals(List.of(PUSH, "a", "b"), ids(p.topologicalOrder()));
        assertEquals(List.of("b", "a", PUSH), ids(p.jobs()));
    }

    @Test
    void ciFennelWorkedExampleOrder() throws Exception {
        Pipeline p = new PipelineBuilder()
                .job("test", List.of(PUSH), 1, null)
                .job("build", List.of("test", PUSH), 2, null)
                .job("deploy", List.of("build"), 3, null)
                .job("publish", List.of(PUSH), 4, null)
                .build("ci.fnl", null);
        // quire (petgraph DFS) gives push, publish, test, build, deploy; here the earliest-registered ready job wins
        assertEquals(List.of(PUSH, "test", "build", "deploy", "publish"), ids(p.topologicalOrder()));
    }

    @Test
    void emptyPipelineHasOnlyQuirePush() throws Exception {
        Pipeline p = new PipelineBuilder().build("ci.fnl", null);
        assertEquals(List.of(PUSH), ids(p.topologicalOrder()));
        assertEquals(List.of(), p.userJobs());
        assertEquals(true, p.jobs().get(0).isSource());
    }

    @Test
    void transitiveInputsCollectDirectAndIndirectButNeverSelf() throws Exception {
        Pipeline p = new PipelineBuilder()
                .job("setup", List.of(PUSH), 1, null)
                .job("build", List.of("setup"), 2, null)
                .job("test", List.of("build", "build"), 3, null)
                .job("peer", List.of(PUSH), 4, null)
                .build("ci.fnl", null);
        assertEquals(Set.of(PUSH), p.transitiveInputs("setup"));
        assertEquals(Set.of("setup", PUSH), p.transitiveInputs("build"));
        assertEquals(Set.of("build", "setup", PUSH), p.transitiveInputs("test"));
        assertEquals(Set.of(), p.transitiveInputs(PUSH));
        assertThrows(IllegalArgumentException.class, () -> p.transitiveInputs("nope"));
    }

    @Test
    void orderingACycleDirectlyIsRefused() {
        List<JobDefinition> jobs = List.of(
                new JobDefinition("a", List.of("b"), 1, null), new JobDefinition("b", List.of("a"), 2, null));
        assertThrows(IllegalStateException.class, () -> TopologicalOrder.of(jobs));
    }
}
