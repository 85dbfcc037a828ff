package io.jenkins.plugins.quire.pipeline;

import java.util.List;

/** Lets tests of other packages compare against the pipeline's own topological order of any job list. */
public final class PipelineTestAccess {
    public List<String> order(List<JobDefinition> jobs) {
        return TopologicalOrder.of(jobs).stream().map(JobDefinition::id).toList();
    }
}
