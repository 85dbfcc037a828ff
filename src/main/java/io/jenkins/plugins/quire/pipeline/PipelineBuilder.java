package io.jenkins.plugins.quire.pipeline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.luaj.vm2.LuaValue;

/**
 * Collects what ci.fnl registers and applies the validation rules (docs/language.md, Validation) in quire's phases:
 * definition rules per call (the offending job is dropped; a duplicate keeps the first registration), then, only if
 * none fired, the built-in quire/push is appended and the structure rules run. {@link #build} either returns a
 * valid {@link Pipeline} or throws a {@link PipelineException} carrying every diagnostic.
 *
 * <p>Usable straight from Java (tests, other front ends); the Lua-facing {@code ci.job}/{@code ci.image} functions
 * call {@link #job} and {@link #image}.
 */
public final class PipelineBuilder {
    /** Most jobs one pipeline may register: bounds validation, scheduling and the logs folder of a generated file. */
    public static final int MAX_JOBS = 1000;

    private final List<JobDefinition> jobs = new ArrayList<>();
    private final Set<String> seenIds = new HashSet<>();
    private final List<Diagnostic> definitionErrors = new ArrayList<>();
    private String image;
    private int imageLine;
    private boolean imageDeclared;
    private int registrations;
    private final List<CacheDeclaration> caches = new ArrayList<>();
    private final Set<String> cachePaths = new HashSet<>();

    /**
     * Records {@code (ci.job id inputs run-fn)} made at the given ci.fnl line. Rule order: a '/' in the id, then an
     * unsafe id, then a too long id (these drop the job without further checks), then empty inputs and duplicate id (both reported).
     */
    public PipelineBuilder job(String id, List<String> inputs, int line, LuaValue runFn) {
        if (++registrations > MAX_JOBS) {
            if (registrations == MAX_JOBS + 1) definitionErrors.add(new Diagnostic(line, Messages.tooManyJobs(id, MAX_JOBS)));
            return this;
        }
        if (id.contains("/")) {
            definitionErrors.add(new Diagnostic(line, JobIds.reservedSlash(id)));
            return this;
        }
        if (!JobIds.isPathSafe(id)) {
            definitionErrors.add(new Diagnostic(line, JobIds.notPathSafe(id)));
            return this;
        }
        if (id.length() > JobIds.MAX_LENGTH) {
            definitionErrors.add(new Diagnostic(line, JobIds.tooLong(id)));
            return this;
        }
        boolean ok = true;
        if (inputs.isEmpty()) {
            definitionErrors.add(new Diagnostic(line, Messages.emptyInputs(id)));
            ok = false;
        }
        if (!seenIds.add(id)) {
            definitionErrors.add(new Diagnostic(line, Messages.duplicateJob(id)));
            ok = false;
        }
        if (ok) jobs.add(new JobDefinition(id, inputs, line, runFn == null ? LuaValue.NIL : runFn));
        return this;
    }

    /** Records {@code (ci.image name)} made at the given line; a second call is an error and the first value wins. */
    public PipelineBuilder image(String name, int line) {
        if (imageDeclared) {
            definitionErrors.add(new Diagnostic(line, Messages.duplicateImage()));
            return this;
        }
        imageDeclared = true;
        image = name;
        imageLine = line;
        return this;
    }

    /**
     * Records {@code (ci.cache path)} made at the given line: the path is normalised ({@link CachePaths}); a path
     * that is not allowed, or declared again (after normalisation), is an error and the first declaration wins.
     */
    public PipelineBuilder cache(String path, int line) {
        String normal;
        try {
            normal = CachePaths.normalise(path);
        } catch (IllegalArgumentException e) {
            definitionErrors.add(new Diagnostic(line, Messages.badCache(path, e.getMessage())));
            return this;
        }
        if (!cachePaths.add(normal)) {
            definitionErrors.add(new Diagnostic(line, Messages.duplicateCache(normal)));
            return this;
        }
        caches.add(new CacheDeclaration(normal, line));
        return this;
    }

    /** The caches declared so far, in declaration order. */
    List<CacheDeclaration> registeredCaches() {
        return List.copyOf(caches);
    }

    /** The jobs accepted so far, in registration order (without quire/push). */
    List<JobDefinition> registeredJobs() {
        return List.copyOf(jobs);
    }

    /** The image declared so far, or null. */
    String registeredImage() {
        return image;
    }

    /** The definition errors recorded so far, in call order. */
    public List<Diagnostic> definitionErrors() {
        return List.copyOf(definitionErrors);
    }

    /**
     * Finishes validation.
     *
     * @param fileName the file named in the rendered errors
     * @param source   the ci.fnl text quoted in the rendered errors, or null
     */
    public Pipeline build(String fileName, String source) throws PipelineException {
        if (!definitionErrors.isEmpty()) throw new PipelineException(fileName, source, definitionErrors);
        List<JobDefinition> all = new ArrayList<>(jobs);
        all.add(JobDefinition.quirePush());
        List<Diagnostic> structureErrors = StructureRules.check(all);
        if (!structureErrors.isEmpty()) throw new PipelineException(fileName, source, structureErrors);
        return new Pipeline(image, imageLine, all, caches);
    }
}
