package io.jenkins.plugins.quire.pipeline;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated pipeline: the declared image (if any), the declared caches, every job in registration order with {@code quire/push}
 * appended last, and the order they run in. Only {@link PipelineBuilder} creates one, after every rule passed, so a
 * {@code Pipeline} is always acyclic, every input names a known job, and every job is reachable from quire/push.
 */
public final class Pipeline {
    private final String image;
    private final int imageLine;
    private final List<JobDefinition> jobs;
    private final List<JobDefinition> topologicalOrder;
    private final Map<String, JobDefinition> byId = new LinkedHashMap<>();
    private final Map<String, Integer> position = new HashMap<>();
    private final AncestorSets ancestors;
    private final List<CacheDeclaration> caches;

    Pipeline(String image, int imageLine, List<JobDefinition> jobs) {
        this(image, imageLine, jobs, List.of());
    }

    Pipeline(String image, int imageLine, List<JobDefinition> jobs, List<CacheDeclaration> caches) {
        this.caches = List.copyOf(caches);
        this.image = image;
        this.imageLine = imageLine;
        this.jobs = List.copyOf(jobs);
        for (JobDefinition job : this.jobs) byId.put(job.id(), job);
        for (int i = 0; i < this.jobs.size(); i++) position.put(this.jobs.get(i).id(), i);
        this.topologicalOrder = TopologicalOrder.of(this.jobs);
        this.ancestors = new AncestorSets(this.jobs, position, topologicalOrder);
    }

    /** The image named by {@code (ci.image name)}, if the pipeline declared one. */
    public Optional<String> image() {
        return Optional.ofNullable(image);
    }

    /** The ci.fnl line of the {@code ci.image} call, 0 when no image was declared. */
    public int imageLine() {
        return imageLine;
    }

    /** The caches declared with {@code (ci.cache path)}, in declaration order, paths normalised. */
    public List<CacheDeclaration> caches() {
        return caches;
    }

    /** Every job in registration order, the built-in {@code quire/push} last. */
    public List<JobDefinition> jobs() {
        return jobs;
    }

    /** The jobs in the order they run: Kahn's algorithm, registration order among ready jobs; quire/push first. */
    public List<JobDefinition> topologicalOrder() {
        return topologicalOrder;
    }

    /** The user jobs only (without quire/push), in registration order. */
    public List<JobDefinition> userJobs() {
        return jobs.stream().filter(j -> !j.isSource()).toList();
    }

    /** The job or source with that id. */
    public Optional<JobDefinition> job(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * Every job and source the given job may read with {@code (jobs name)}: its inputs, their inputs, and so on; never
     * the job itself. A read-only view in registration order, precomputed for all jobs when the pipeline was built.
     *
     * @throws IllegalArgumentException for an id that is not in the pipeline
     */
    public Set<String> transitiveInputs(String id) {
        Integer at = position.get(id);
        if (at == null) throw new IllegalArgumentException("no job '" + id + "' in this pipeline");
        return ancestors.of(at);
    }

    /** Work done to precompute {@link #transitiveInputs}: one bit-set union per distinct edge (exposed for tests). */
    long visibilityWork() {
        return ancestors.unions();
    }
}
