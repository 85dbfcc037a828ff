package io.jenkins.plugins.quire.pipeline;

import io.jenkins.plugins.quire.fennel.CompiledScript;
import io.jenkins.plugins.quire.fennel.FennelCompileException;
import io.jenkins.plugins.quire.fennel.FennelCompiler;
import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.LuaChunk;
import io.jenkins.plugins.quire.sandbox.SandboxLimits;
import io.jenkins.plugins.quire.sandbox.ScriptException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaTable;

/**
 * The front door from ci.fnl text to a runnable pipeline (source → compile → register). Phases, each
 * failing closed with every diagnostic it found: (1) Fennel compile (and parsing the Lua once, kept for the
 * per-job VMs of {@link LoadedPipeline#openJob}); (2) top-level evaluation in a fresh
 * {@link ExecSandbox} where {@code (require :quire.ci)} gives {@code {: job : image}} and {@code sh}/{@code secret}/
 * {@code jobs} refuse to act; a Lua error stops here, reported with the definition errors collected before it;
 * (3) definition rules; (4) structure rules, only when (3) found nothing.
 */
public final class PipelineLoader {
    /** The module name ci.fnl requires. */
    public static final String MODULE = "quire.ci";

    private PipelineLoader() {}

    /**
     * Loads a ci.fnl file; errors name it as written in {@code file}.
     *
     * @throws PipelineException also when the file is missing, unreadable or not UTF-8
     */
    public static LoadedPipeline load(Path file, SandboxLimits limits) throws PipelineException {
        String fileName = file.toString();
        return load(PipelineSource.read(file, fileName), fileName, limits);
    }

    /**
     * Compiles, evaluates and validates ci.fnl source.
     *
     * @param fileName the name used as chunk name and in every error (e.g. {@code ci.fnl} or {@code .quire/ci.fnl})
     */
    public static LoadedPipeline load(String source, String fileName, SandboxLimits limits) throws PipelineException {
        CompiledScript script;
        try {
            script = FennelCompiler.compile(source, fileName);
        } catch (FennelCompileException e) {
            throw new PipelineException(fileName, source, List.of(FennelDiagnostics.from(e)));
        }

        RuntimeSlot slot = new RuntimeSlot();
        RuntimePrimitive[] primitives = RuntimePrimitive.all(slot);
        Registration registration = new Registration();
        ExecSandbox vm = ExecSandbox.create(limits);
        boolean handedOver = false;
        try {
            LuaTable module = new LuaTable();
            module.rawset("job", new JobFunction(registration));
            module.rawset("image", new ImageFunction(registration));
            module.rawset("cache", new CacheFunction(registration));
            vm.registerModule(MODULE, module);
            for (RuntimePrimitive p : primitives) vm.registerGlobal(p.luaName(), p);
            LuaChunk chunk;
            try {
                chunk = vm.compile(script.lua(), fileName, script::sourceLine);   // parsed once; job VMs reuse it
                vm.execute(chunk);
            } catch (ScriptException e) {
                List<Diagnostic> all = new ArrayList<>(registration.builder().definitionErrors());
                all.add(ScriptDiagnostics.from(fileName, e.getMessage()));
                throw new PipelineException(fileName, source, all);
            } finally {
                registration.close();
            }
            Pipeline pipeline = registration.builder().build(fileName, source);
            LoadedPipeline loaded = new LoadedPipeline(pipeline, vm, script, source, slot, primitives, chunk, limits);
            handedOver = true;
            return loaded;
        } finally {
            if (!handedOver) vm.close();
        }
    }
}
