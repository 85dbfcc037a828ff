package io.jenkins.plugins.quire.pipeline;

/**
 * The human-readable listing of a valid pipeline, exactly as quire-ci's {@code validate} prints it (docs/language.md):
 * {@code Image: <image>} when declared, {@code Caches:} with one {@code   <path>} line per cache when any, {@code Jobs (topological order):}, one {@code   <id> <- [<inputs>]} line per
 * job in run order (quire/push included), a blank line and {@code All validations passed.}. Shared by the CLI and
 * any console that wants to show the same thing.
 */
public final class PipelineListing {
    private PipelineListing() {}

    /** The listing, every line ending in a newline. */
    public static String of(Pipeline pipeline) {
        StringBuilder sb = new StringBuilder();
        pipeline.image().ifPresent(image -> sb.append("Image: ").append(image).append('\n'));
        if (!pipeline.caches().isEmpty()) {
            sb.append("Caches:\n");
            for (CacheDeclaration c : pipeline.caches()) sb.append("  ").append(c.path()).append('\n');
        }
        sb.append("Jobs (topological order):\n");
        for (JobDefinition job : pipeline.topologicalOrder()) {
            sb.append("  ").append(job.id()).append(" <- [").append(String.join(", ", job.inputs())).append("]\n");
        }
        return sb.append("\nAll validations passed.\n").toString();
    }
}
