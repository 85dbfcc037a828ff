package io.jenkins.plugins.quire.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks that need the whole graph (docs/language.md), run only when registration produced no definition error:
 * unknown inputs (ours), cycles and unreachable jobs (quire's messages and semantics). All violations are collected:
 * unknown inputs in registration order, then cycles (ordered by their first-registered member), then unreachable jobs
 * in registration order. Cycle members are never also reported unreachable; a job downstream of a cycle is; a job
 * that lists an unknown input is not reported unreachable too (the unknown input already says why).
 */
final class StructureRules {
    private StructureRules() {}

    /** @param jobs user jobs in registration order followed by the source node(s) */
    static List<Diagnostic> check(List<JobDefinition> jobs) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < jobs.size(); i++) index.put(jobs.get(i).id(), i);

        List<Diagnostic> out = new ArrayList<>();
        Set<Integer> listsUnknown = new HashSet<>();
        for (int i = 0; i < jobs.size(); i++) {
            JobDefinition job = jobs.get(i);
            for (String input : job.distinctInputs()) {
                if (!index.containsKey(input)) {
                    out.add(new Diagnostic(job.line(), Messages.unknownInput(job.id(), input)));
                    listsUnknown.add(i);
                }
            }
        }

        List<List<Integer>> dependents = dependents(jobs, index);
        Set<Integer> inCycle = new HashSet<>();
        for (List<Integer> cycle : cycles(jobs, index, dependents)) {
            inCycle.addAll(cycle);
            List<String> names = new ArrayList<>();
            List<Integer> lines = new ArrayList<>();
            for (int member : new java.util.TreeSet<>(cycle)) {
                names.add(jobs.get(member).id());
                lines.add(jobs.get(member).line());
            }
            Collections.sort(names);
            int first = lines.remove(0);
            out.add(new Diagnostic(first, Diagnostic.NO_COLUMN, Messages.cycle(names), lines));
        }

        boolean[] reached = reachableFromTriggers(jobs, dependents);
        for (int i = 0; i < jobs.size(); i++) {
            if (!reached[i] && !inCycle.contains(i) && !listsUnknown.contains(i)) {
                out.add(new Diagnostic(jobs.get(i).line(), Messages.unreachable(jobs.get(i).id())));
            }
        }
        return out;
    }

    private static List<List<Integer>> dependents(List<JobDefinition> jobs, Map<String, Integer> index) {
        List<List<Integer>> dependents = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) dependents.add(new ArrayList<>());
        for (int i = 0; i < jobs.size(); i++) {
            for (String input : jobs.get(i).distinctInputs()) {
                Integer from = index.get(input);
                if (from != null) dependents.get(from).add(i);
            }
        }
        return dependents;
    }

    /** Forward search from every trigger (a node with no inputs, i.e. quire/push). */
    private static boolean[] reachableFromTriggers(List<JobDefinition> jobs, List<List<Integer>> dependents) {
        boolean[] reached = new boolean[jobs.size()];
        Deque<Integer> todo = new ArrayDeque<>();
        for (int i = 0; i < jobs.size(); i++) {
            if (jobs.get(i).inputs().isEmpty()) {
                reached[i] = true;
                todo.add(i);
            }
        }
        while (!todo.isEmpty()) {
            for (int next : dependents.get(todo.poll())) {
                if (!reached[next]) {
                    reached[next] = true;
                    todo.add(next);
                }
            }
        }
        return reached;
    }

    /**
     * Strongly connected components with more than one member, or one member listing itself (Tarjan, iterative so a
     * long chain of jobs cannot overflow the stack), sorted by their first-registered member.
     */
    private static List<List<Integer>> cycles(
            List<JobDefinition> jobs, Map<String, Integer> index, List<List<Integer>> dependents) {
        int n = jobs.size();
        int[] order = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        java.util.Arrays.fill(order, -1);
        Deque<Integer> stack = new ArrayDeque<>();
        List<List<Integer>> found = new ArrayList<>();
        int counter = 0;
        for (int root = 0; root < n; root++) {
            if (order[root] >= 0) continue;
            Deque<int[]> frames = new ArrayDeque<>();   // {node, next edge position}
            order[root] = low[root] = counter++;
            stack.push(root);
            onStack[root] = true;
            frames.push(new int[] {root, 0});
            while (!frames.isEmpty()) {
                int[] frame = frames.peek();
                int v = frame[0];
                List<Integer> edges = dependents.get(v);
                if (frame[1] < edges.size()) {
                    int w = edges.get(frame[1]++);
                    if (order[w] < 0) {
                        order[w] = low[w] = counter++;
                        stack.push(w);
                        onStack[w] = true;
                        frames.push(new int[] {w, 0});
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], order[w]);
                    }
                    continue;
                }
                frames.pop();
                if (!frames.isEmpty()) {
                    int parent = frames.peek()[0];
                    low[parent] = Math.min(low[parent], low[v]);
                }
                if (low[v] == order[v]) {
                    List<Integer> component = new ArrayList<>();
                    int w;
                    do {
                        w = stack.pop();
                        onStack[w] = false;
                        component.add(w);
                    } while (w != v);
                    if (component.size() > 1 || listsItself(jobs.get(v), index, v)) found.add(component);
                }
            }
        }
        found.sort((a, b) -> Integer.compare(Collections.min(a), Collections.min(b)));
        return found;
    }

    private static boolean listsItself(JobDefinition job, Map<String, Integer> index, int position) {
        return job.inputs().contains(job.id()) && index.get(job.id()) == position; // no copy: runs once per job
    }
}
