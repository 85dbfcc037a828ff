package io.jenkins.plugins.quire.pipeline;

import static io.jenkins.plugins.quire.pipeline.PipelineLoaderTest.HEAD;
import static io.jenkins.plugins.quire.pipeline.PipelineLoaderTest.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.HostError;
import io.jenkins.plugins.quire.sandbox.ScriptException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * After loading: run-fns are callable through the pipeline's sandbox, {@code sh}/{@code secret}/{@code jobs} act
 * through the installed {@link RuntimeBinding} (and only while it is installed), and registration is closed.
 */
class RuntimeBindingTest {
    /** Records calls; sh echoes its command, secret answers, jobs fails like the real one would. */
    static final class Recording implements RuntimeBinding {
        final List<String> calls = new ArrayList<>();

        @Override
        public Varargs sh(ExecSandbox vm, Varargs args) {
            calls.add("sh " + args.arg1().tojstring() + " @" + vm.currentSourceLine());
            LuaTable result = new LuaTable();
            result.set("exit", 0);
            result.set("stdout", "ran " + args.arg1().tojstring());
            return result;
        }

        @Override
        public Varargs secret(ExecSandbox vm, Varargs args) {
            calls.add("secret " + args.arg1().tojstring());
            return LuaValue.valueOf("s3cr3t");
        }

        @Override
        public Varargs jobs(ExecSandbox vm, Varargs args) throws HostError {
            throw new HostError("job 'x' cannot read '" + args.arg1().tojstring() + "': not among its transitive inputs");
        }
    }

    private static Varargs run(LoadedPipeline loaded, String job) throws ScriptException {
        LuaValue fn = loaded.pipeline().job(job).orElseThrow().runFn();
        return loaded.sandbox().call(fn, loaded.runtimeTable(), null);
    }

    @Test
    void runFnUsesTheInstalledBindingThroughTheRuntimeTable() throws Exception {
        Recording binding = new Recording();
        try (LoadedPipeline loaded = load(HEAD
                + "(ci.job :build [:quire/push]\n"
                + "  (fn [{: sh : secret}]\n"
                + "    (let [r (sh \"make\")]\n"
                + "      {:out r.stdout :token (secret :token)})))\n");
             RuntimeScope scope = loaded.bindRuntime(binding)) {
            LuaValue outputs = run(loaded, "build").arg1();
            assertEquals("ran make", outputs.get("out").tojstring());
            assertEquals("s3cr3t", outputs.get("token").tojstring());
            assertEquals(List.of("sh make @4", "secret token"), binding.calls);
        }
    }

    @Test
    void globalPrimitivesAlsoUseTheBinding() throws Exception {
        Recording binding = new Recording();
        try (LoadedPipeline loaded = load(HEAD + "(ci.job :a [:quire/push] (fn [] (sh [\"ls\"]) nil))\n")) {
            try (RuntimeScope scope = loaded.bindRuntime(binding)) {
                assertTrue(run(loaded, "a").arg1().isnil());
            }
            assertEquals(1, binding.calls.size());
        }
    }

    @Test
    void hostErrorsFromTheBindingAreLocatedLuaErrors() throws Exception {
        try (LoadedPipeline loaded = load(HEAD + "(ci.job :x [:quire/push]\n  (fn [{: jobs}]\n    (jobs :peer)))\n");
             RuntimeScope scope = loaded.bindRuntime(new Recording())) {
            ScriptException e = assertThrows(ScriptException.class, () -> run(loaded, "x"));
            assertEquals("ci.fnl:4: job 'x' cannot read 'peer': not among its transitive inputs", e.getMessage());
        }
    }

    @Test
    void stashedPrimitiveRefusesOnceTheScopeIsClosed() throws Exception {
        try (LoadedPipeline loaded = load(HEAD + "(var saved nil)\n"
                + "(ci.job :a [:quire/push] (fn [{: sh}] (set saved sh) nil))\n"
                + "(ci.job :b [:a] (fn [] (saved \"late\")))\n")) {
            try (RuntimeScope scope = loaded.bindRuntime(new Recording())) {
                run(loaded, "a");
            }
            ScriptException e = assertThrows(ScriptException.class, () -> run(loaded, "b"));
            assertEquals("ci.fnl:4: sh can only be called inside a job's run function", e.getMessage());
        }
    }

    @Test
    void onlyOneBindingAtATime() throws Exception {
        try (LoadedPipeline loaded = load(HEAD);
             RuntimeScope scope = loaded.bindRuntime(new Recording())) {
            assertThrows(IllegalStateException.class, () -> loaded.bindRuntime(new Recording()));
        }
    }

    @Test
    void registrationIsClosedOnceLoaded() throws Exception {
        try (LoadedPipeline loaded = load(HEAD
                + "(ci.job :a [:quire/push] (fn [] (ci.job :late [:quire/push] (fn [] nil))))\n"
                + "(ci.job :b [:quire/push] (fn [] (ci.image \"alpine\")))\n")) {
            ScriptException job = assertThrows(ScriptException.class, () -> run(loaded, "a"));
            assertEquals("ci.fnl:2: quire.ci registration is closed: ci.job can only be called while ci.fnl is loading"
                    + " (at its top level), not from a job's run function", job.getMessage());
            ScriptException image = assertThrows(ScriptException.class, () -> run(loaded, "b"));
            assertEquals("ci.fnl:3: quire.ci registration is closed: ci.image can only be called while ci.fnl is loading"
                    + " (at its top level), not from a job's run function", image.getMessage());
            assertEquals(List.of("a", "b"), PipelineLoaderTest.ids(loaded.pipeline().userJobs()));
        }
    }

    @Test
    void runJobBindsCallsAndUnbinds() throws Exception {
        Recording binding = new Recording();
        try (LoadedPipeline loaded = load(HEAD + "(ci.job :a [:quire/push] (fn [{: sh}] (sh \"x\")))\n")) {
            JobDefinition a = loaded.pipeline().job("a").orElseThrow();
            assertEquals("ran x", loaded.runJob(a, binding, null).arg1().get("stdout").tojstring());
            ScriptException e = assertThrows(ScriptException.class, () -> run(loaded, "a"));
            assertEquals("ci.fnl:2: sh can only be called inside a job's run function", e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> loaded.runJob(loaded.pipeline().job("quire/push").orElseThrow(), binding, null));
        }
    }

    @Test
    void readingAnUnknownRuntimeKeyFailsWhenTheJobStarts() throws Exception {
        try (LoadedPipeline loaded = load(HEAD + "(ci.job :a [:quire/push]\n  (fn [{: sh : log}] (sh \"x\")))\n")) {
            JobDefinition a = loaded.pipeline().job("a").orElseThrow();
            Recording binding = new Recording();
            ScriptException e = assertThrows(ScriptException.class, () -> loaded.runJob(a, binding, null));
            assertEquals("ci.fnl:3: unknown runtime primitive 'log': expected sh, secret or jobs", e.getMessage());
            assertEquals(List.of(), binding.calls);
        }
    }

    @Test
    void eachRuntimeTableIsFresh() throws Exception {
        try (LoadedPipeline loaded = load(HEAD)) {
            LuaTable first = loaded.runtimeTable();
            first.set("sh", LuaValue.NIL);
            LuaTable second = loaded.runtimeTable();
            assertTrue(second.get("sh").isfunction());
            assertTrue(second.get("secret").isfunction());
            assertTrue(second.get("jobs").isfunction());
        }
    }
}
