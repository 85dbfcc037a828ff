package io.jenkins.plugins.quire.cli;

import io.jenkins.plugins.quire.pipeline.LoadedPipeline;
import io.jenkins.plugins.quire.pipeline.PipelineException;
import io.jenkins.plugins.quire.pipeline.PipelineListing;
import io.jenkins.plugins.quire.pipeline.PipelineLoader;
import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code quire-ci validate [--file PATH]}: loads and validates ci.fnl (compile, top-level evaluation, every rule)
 * and prints the image and the jobs in run order as quire-ci does; diagnostics go to stderr with exit 2.
 */
final class ValidateCommand implements Command {
    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String usage() {
        return "  validate [--file PATH]\n"
                + "               check the pipeline without running it: compile, evaluate the top level, apply every\n"
                + "               rule; prints the image and the jobs in run order, or every error (exit 2)\n"
                + "               --file PATH   the pipeline file (default " + Main.DEFAULT_FILE + ")\n";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        ParsedArgs parsed = ParsedArgs.parse(name(), args, Set.of("--file"), Set.of());
        if (parsed.help()) return Usage.printFor(this, out);
        Path file = Path.of(parsed.value("--file", Main.DEFAULT_FILE));
        try (LoadedPipeline loaded = PipelineLoader.load(file, SandboxLimits.defaults())) {
            out.print(PipelineListing.of(loaded.pipeline()));
            return ExitCodes.OK;
        } catch (PipelineException e) {
            err.println(e.getMessage());
            return ExitCodes.INVALID;
        } catch (RuntimeException | LinkageError e) {
            err.println("quire-ci: the engine could not load " + file + ": " + e);
            return ExitCodes.INVALID;
        }
    }
}
