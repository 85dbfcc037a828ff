package io.jenkins.plugins.quire.pipeline;

import java.util.AbstractSet;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Why: {@code (jobs name)} may read only transitive inputs; a search per job cost O(edges) each, so a generated
 * pipeline of thousands of densely connected jobs took minutes. Here every job's ancestors are one bit set, built once
 * in topological order as the union of its inputs' sets: one union per edge, each V/64 words.
 */
final class AncestorSets {
    private final List<JobDefinition> jobs;
    private final Map<String, Integer> index;
    private final BitSet[] ancestors;
    private final long unions;

    /** @param order the jobs in topological order; {@code index} maps every id to its position in {@code jobs} */
    AncestorSets(List<JobDefinition> jobs, Map<String, Integer> index, List<JobDefinition> order) {
        this.jobs = jobs;
        this.index = index;
        this.ancestors = new BitSet[jobs.size()];
        long work = 0;
        for (JobDefinition job : order) {
            int self = index.get(job.id());
            BitSet set = new BitSet(jobs.size());
            for (String input : job.distinctInputs()) {
                Integer from = index.get(input);
                if (from == null || from == self) continue;
                set.set(from);
                set.or(ancestors[from]);
                work++;
            }
            set.clear(self);
            ancestors[self] = set;
        }
        this.unions = work;
    }

    /** Bit-set unions done while building: one per distinct edge between two jobs. */
    long unions() {
        return unions;
    }

    /** The ancestors of the job at {@code position}, as a read-only set of ids. */
    java.util.Set<String> of(int position) {
        BitSet set = ancestors[position];
        return new AbstractSet<>() {
            @Override public boolean contains(Object o) {
                Integer i = o instanceof String s ? index.get(s) : null;
                return i != null && set.get(i);
            }

            @Override public int size() {
                return set.cardinality();
            }

            @Override public Iterator<String> iterator() {
                return new Iterator<>() {
                    int next = set.nextSetBit(0);

                    @Override public boolean hasNext() {
                        return next >= 0;
                    }

                    @Override public String next() {
                        if (next < 0) throw new NoSuchElementException();
                        String id = jobs.get(next).id();
                        next = set.nextSetBit(next + 1);
                        return id;
                    }
                };
            }
        };
    }
}
