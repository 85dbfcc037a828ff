package io.jenkins.plugins.quire.pipeline;

import static io.jenkins.plugins.quire.pipeline.PipelineLoaderTest.HEAD;
import static io.jenkins.plugins.quire.pipeline.PipelineLoaderTest.invalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Large generated pipelines: the number of jobs is capped with a clear message, and validation plus every job's
 * {@code (jobs name)} visibility stay near-linear in the edges (counted, not timed; figures are printed).
 */
class GraphScaleTest {
    private static final String PUSH = JobDefinition.QUIRE_PUSH;

    /** {@code n} jobs, each listing quire/push and every earlier job: n(n+1)/2 edges. */
    private static PipelineBuilder dense(int n) {
        PipelineBuilder b = new PipelineBuilder();
        List<String> earlier = new ArrayList<>();
        earlier.add(PUSH);
        for (int i = 0; i < n; i++) {
            String id = "j" + i;
            b.job(id, earlier, i + 2, null);
            earlier.add(id);
        }
        return b;
    }

    @Test
    void aThousandJobsWithDenseEdgesValidateAndTheirVisibilityCostsOneUnionPerEdge() throws Exception {
        int n = PipelineBuilder.MAX_JOBS;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long t0 = cpu.getCurrentThreadCpuTime();
        Pipeline p = dense(n).build("ci.fnl", null);
        long t1 = cpu.getCurrentThreadCpuTime();
        long edges = (long) n * (n + 1) / 2;
        long visible = 0;
        for (JobDefinition job : p.topologicalOrder()) visible += p.transitiveInputs(job.id()).size();
        for (int i = 0; i < n; i++) assertTrue(p.transitiveInputs("j" + i).contains(PUSH));
        assertTrue(p.transitiveInputs("j999").contains("j0"));
        assertTrue(!p.transitiveInputs("j0").contains("j1"));
        long t2 = cpu.getCurrentThreadCpuTime();
        assertEquals(edges, visible, "job i sees quire/push and the i jobs before it");
        assertEquals(edges, p.visibilityWork(), "one bit-set union per edge, once per pipeline");
        System.out.printf("dense %d jobs, %d edges: register + validate %.0f ms CPU, visibility of every job %.0f ms CPU%n", n, edges,
                (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }

    @Test
    void theThousandAndFirstJobIsRefusedOnceWithItsLine() {
        PipelineException e = assertThrows(PipelineException.class, () -> dense(PipelineBuilder.MAX_JOBS + 5)
                .build("ci.fnl", null));
        assertEquals(List.of(new Diagnostic(PipelineBuilder.MAX_JOBS + 2,
                "Too many jobs: a pipeline has at most 1000 jobs, and job 'j1000' is number 1001.")), e.diagnostics());
    }

    @Test
    void aGeneratedPipelineOverTheCapFailsWithTheLineOfTheRegistration() {
        PipelineException e = invalid(HEAD + "(for [i 1 1200]\n  (ci.job (.. :j i) [:quire/push] (fn [] nil)))\n");
        assertEquals(1, e.diagnostics().size(), e.getMessage());
        assertTrue(e.getMessage().contains(
                "ci.fnl:3: Too many jobs: a pipeline has at most 1000 jobs, and job 'j1001' is number 1001."), e.getMessage());
    }
}
