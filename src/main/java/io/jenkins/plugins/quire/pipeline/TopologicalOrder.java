package io.jenkins.plugins.quire.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The order jobs run in (docs/architecture.md, Data flow): Kahn's algorithm whose ready queue is ordered by position
 * in the job list (registration order, {@code quire/push} appended last). quire/push is the only root of a valid
 * pipeline, so it always comes first; after that, among ready jobs the one registered first wins.
 */
final class TopologicalOrder {
    private TopologicalOrder() {}

    /**
     * Orders an acyclic job list. Inputs naming no job in the list create no edge.
     *
     * @throws IllegalStateException if the jobs contain a cycle (validation reports cycles before this runs)
     */
    static List<JobDefinition> of(List<JobDefinition> jobs) {
        JobGraph graph = JobGraph.of(jobs);
        int[] missing = graph.inputCounts();
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < jobs.size(); i++) if (missing[i] == 0) ready.add(i);
        List<JobDefinition> order = new ArrayList<>(jobs.size());
        while (!ready.isEmpty()) {
            int next = ready.poll();
            order.add(jobs.get(next));
            for (int dependent : graph.dependents(next)) if (--missing[dependent] == 0) ready.add(dependent);
        }
        if (order.size() != jobs.size()) throw new IllegalStateException("the job graph has a cycle");
        return List.copyOf(order);
    }
}
