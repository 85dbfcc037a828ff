package io.jenkins.plugins.quire.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Why: the pipeline's topological order and the run's scheduler both walk the job list as a graph (Kahn's algorithm
 * with registration order deciding among ready jobs); this builds that graph once, in one place: each job's position,
 * how many distinct inputs it waits for, and who waits for it. Inputs naming no job in the list (source refs such as
 * {@code quire/push} when it is not listed) create no edge.
 */
public final class JobGraph {
    private final Map<String, Integer> index = new HashMap<>();
    private final int[] inputCounts;
    private final List<List<Integer>> dependents = new ArrayList<>();

    private JobGraph(List<JobDefinition> jobs) {
        for (int i = 0; i < jobs.size(); i++) index.put(jobs.get(i).id(), i);
        inputCounts = new int[jobs.size()];
        for (int i = 0; i < jobs.size(); i++) dependents.add(new ArrayList<>());
        for (int i = 0; i < jobs.size(); i++) {
            for (String input : jobs.get(i).distinctInputs()) {
                Integer from = index.get(input);
                if (from == null) continue;
                dependents.get(from).add(i);
                inputCounts[i]++;
            }
        }
    }

    /** The graph of {@code jobs}, positions as in the list. */
    public static JobGraph of(List<JobDefinition> jobs) {
        return new JobGraph(jobs);
    }

    /** The position of job {@code id} in the list. */
    public int indexOf(String id) {
        Integer i = index.get(id);
        if (i == null) throw new IllegalArgumentException("no job '" + id + "' in the graph");
        return i;
    }

    /** For each position, how many of the job's distinct inputs are jobs of the list (a fresh array to count down). */
    public int[] inputCounts() {
        return inputCounts.clone();
    }

    /** The positions of the jobs that list the job at {@code position} among their inputs. */
    public List<Integer> dependents(int position) {
        return dependents.get(position);
    }
}
