package io.jenkins.plugins.quire.cli;

import io.jenkins.plugins.quire.fennel.FennelCompileException;
import io.jenkins.plugins.quire.fennel.FennelCompiler;
import io.jenkins.plugins.quire.pipeline.FennelDiagnostics;
import io.jenkins.plugins.quire.pipeline.PipelineException;
import io.jenkins.plugins.quire.pipeline.PipelineSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code quire-ci compile [--file PATH]}: prints the Lua that Fennel generates for ci.fnl (what the execute VM
 * runs), for debugging a pipeline; compile errors go to stderr with exit 2. Nothing is evaluated.
 */
final class CompileCommand implements Command {
    @Override
    public String name() {
        return "compile";
    }

    @Override
    public String usage() {
        return "  compile [--file PATH]\n"
                + "               print the Lua generated from the pipeline (nothing is run); compile errors exit 2\n"
                + "               --file PATH   the pipeline file (default " + Main.DEFAULT_FILE + ")\n";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        ParsedArgs parsed = ParsedArgs.parse(name(), args, Set.of("--file"), Set.of());
        if (parsed.help()) return Usage.printFor(this, out);
        Path file = Path.of(parsed.value("--file", Main.DEFAULT_FILE));
        String fileName = file.toString();
        String source = null;
        try {
            source = PipelineSource.read(file, fileName);
            String lua = FennelCompiler.compile(source, fileName).lua();
            out.print(lua.endsWith("\n") ? lua : lua + "\n");
            return ExitCodes.OK;
        } catch (PipelineException e) {
            err.println(e.getMessage());
            return ExitCodes.INVALID;
        } catch (FennelCompileException e) {
            err.println(new PipelineException(fileName, source, List.of(FennelDiagnostics.from(e))).getMessage());
            return ExitCodes.INVALID;
        } catch (RuntimeException | LinkageError e) {
            err.println("quire-ci: the engine could not compile " + file + ": " + e);
            return ExitCodes.INVALID;
        }
    }
}
