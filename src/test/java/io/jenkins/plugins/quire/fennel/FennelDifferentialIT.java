package io.jenkins.plugins.quire.fennel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jenkins.plugins.quire.sandbox.ErrorFixes;
import io.jenkins.plugins.quire.sandbox.ExecSandbox;
import io.jenkins.plugins.quire.sandbox.LuaFixes;
import io.jenkins.plugins.quire.sandbox.ScriptException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * Differential tests against the real Lua 5.2 running the same fennel.lua: every corpus program must compile to
 * byte-identical Lua, run to identical printed results (in the execute sandbox and in plain LuaJ with the fixes),
 * and every erroneous program must fail with Fennel's exact message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FennelDifferentialIT {
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> errorSources = new LinkedHashMap<>();
    private final Map<String, Object> ours = new LinkedHashMap<>();
    private final Map<String, Object> oursErrors = new LinkedHashMap<>();
    private Path work;

    @BeforeAll
    void compileEverythingOnBothSides() throws Exception {
        work = Files.createTempDirectory("fennel-diff");
        Lua52.copyFennel(work);
        for (String driver : List.of("compile_all.lua", "run_all.lua")) copyDriver(driver);
        Files.write(work.resolve("allowed.txt"), FennelCompiler.ALLOWED_GLOBALS);
        readFolder("fennel-corpus", sources);
        readFolder("fennel-corpus-errors", errorSources);
        assertTrue(sources.size() >= 40, "the corpus has only " + sources.size() + " programs");

        runReferenceCompile("fennel-corpus", sources, "ref");
        runReferenceCompile("fennel-corpus-errors", errorSources, "ref-err");
        compileOurs(sources, ours);
        compileOurs(errorSources, oursErrors);

        Path run = Files.createDirectories(work.resolve("run"));
        Path out = Files.createDirectories(work.resolve("run-out"));
        List<String> runnable = new ArrayList<>();
        for (var e : ours.entrySet()) {
            if (e.getValue() instanceof CompiledScript c) {
                Files.writeString(run.resolve(e.getKey() + ".run.lua"), wrap(c.lua()));
                runnable.add(e.getKey());
            }
        }
        Path list = work.resolve("run-list.txt");
        Files.write(list, runnable);
        Lua52.run(work, work.resolve("run_all.lua"), list.toString(), run.toString(), out.toString());
    }

    @AfterAll
    void removeWorkFolder() throws IOException {
        if (work == null) return;
        try (Stream<Path> files = Files.walk(work)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void copyDriver(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fennel-driver/" + name)) {
            Files.copy(in, work.resolve(name));
        }
    }

    private static void readFolder(String folder, Map<String, String> into) throws IOException {
        Path dir = Lua52.resourceDir(folder);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".fnl")).sorted()::iterator) {
                into.put(f.getFileName().toString(), Files.readString(f));
            }
        }
    }

    private void runReferenceCompile(String folder, Map<String, String> programs, String outName) throws Exception {
        Path list = work.resolve(outName + "-list.txt");
        Files.write(list, programs.keySet());
        Path out = Files.createDirectories(work.resolve(outName));
        Lua52.run(work, work.resolve("compile_all.lua"), list.toString(), Lua52.resourceDir(folder).toString(),
                out.toString(), work.resolve("allowed.txt").toString());
    }

    private static void compileOurs(Map<String, String> programs, Map<String, Object> into) {
        for (var e : programs.entrySet()) {
            try {
                into.put(e.getKey(), FennelCompiler.compile(e.getValue(), e.getKey()));
            } catch (FennelCompileException ex) {
                into.put(e.getKey(), ex);
            }
        }
    }

    /** The same harness text runs under lua5.2 and LuaJ: it calls the program and prints its result sequence. */
    static String wrap(String lua) throws IOException {
        try (InputStream in = FennelDifferentialIT.class.getResourceAsStream("/fennel-driver/harness.lua")) {
            String harness = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return harness.replace("@PROGRAM@", lua);
        }
    }

    private String reference(String dir, String name, String ext) throws IOException {
        Path p = work.resolve(dir).resolve(name + ext);
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
    }

    @TestFactory
    Stream<DynamicTest> compiledLuaIsByteIdenticalToLua52() {
        return sources.keySet().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            String refLua = reference("ref", name, ".lua");
            if (refLua == null) fail(name + " does not compile under lua5.2: " + reference("ref", name, ".err"));
            Object r = ours.get(name);
            if (r instanceof FennelCompileException e) fail(name + " fails in the compile VM: " + e.getMessage());
            String lua = ((CompiledScript) r).lua();
            if (!refLua.equals(lua)) fail(name + ": compiled Lua differs from lua5.2's\n" + Diff.lines(refLua, lua));
        }));
    }

    @TestFactory
    Stream<DynamicTest> programsPrintTheSameInTheExecuteSandboxAsInLua52() {
        return sources.keySet().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            String expected = reference("run-out", name, ".out");
            CompiledScript c = (CompiledScript) ours.get(name);
            String actual;
            try (ExecSandbox vm = ExecSandbox.create(null)) {
                actual = vm.execute(wrap(c.lua()), name, null).arg1().tojstring();
            } catch (ScriptException e) {
                actual = "SANDBOX ERROR: " + e.getMessage();
            }
            assertFalseError(expected, name);
            if (!expected.equals(actual)) fail(name + ": results differ from lua5.2's\n" + Diff.lines(expected, actual));
        }));
    }

    @TestFactory
    Stream<DynamicTest> programsPrintTheSameInPlainLuajWithTheFixesAsInLua52() {
        return sources.keySet().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            String expected = reference("run-out", name, ".out");
            CompiledScript c = (CompiledScript) ours.get(name);
            Globals g = plainGlobals();
            LuaValue chunk = g.load(wrap(c.lua()), "=" + name);
            String actual = ErrorFixes.protectedCall(g, chunk, LuaValue.NONE).arg1().tojstring();
            if (!expected.equals(actual)) fail(name + ": results differ from lua5.2's\n" + Diff.lines(expected, actual));
        }));
    }

    private static void assertFalseError(String expected, String name) {
        assertTrue(expected != null && !expected.startsWith("ERROR:") && !expected.contains("LOAD ERROR"),
                name + " is not a clean corpus program under lua5.2: " + expected);
    }

    /** A plain LuaJ VM with base, string, table and math plus the compatibility and error fixes. */
    static Globals plainGlobals() {
        Globals g = new Globals();
        g.load(new BaseLib());
        g.load(new PackageLib());
        g.load(new StringLib());
        g.load(new TableLib());
        g.load(new JseMathLib());
        LuaC.install(g);
        LuaFixes.install(g);
        ErrorFixes.install(g);
        g.set("unpack", g.get("table").get("unpack")); // Lua 5.2's compatibility global, as the sandbox offers
        return g;
    }

    @TestFactory
    Stream<DynamicTest> compileErrorsReadExactlyAsUnderLua52() {
        return errorSources.keySet().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            String ref = reference("ref-err", name, ".err");
            if (ref == null) fail(name + " unexpectedly compiles under lua5.2");
            Object r = oursErrors.get(name);
            if (!(r instanceof FennelCompileException e)) {
                fail(name + " unexpectedly compiles in the compile VM:\n" + ((CompiledScript) r).lua());
                return;
            }
            // deliberate difference: the generated macro chunk's name and line are replaced by "in macro code: "
            String expected = withoutTraceback(ref).stripTrailing().replaceAll("\\[string \"[^\"\n]*\"\\]:\\d+: ", "in macro code: ");
            if (!expected.equals(e.getMessage())) {
                fail(name + ": message differs from lua5.2's\n" + Diff.lines(expected, e.getMessage()));
            }
            assertEquals(name, e.fileName());
        }));
    }

    /** lua5.2's macro errors carry a {@code debug.traceback}; the compile VM's traceback is deliberately empty. */
    static String withoutTraceback(String msg) {
        return msg.replaceAll("\nstack traceback:\n(\t[^\n]*(\n|$))*", "\n");
    }

    @Test
    void errorCorpusCoversParseAndCompileErrors() {
        long parse = oursErrors.values().stream()
                .filter(o -> o instanceof FennelCompileException e && e.getMessage().contains("Parse error")).count();
        long compile = oursErrors.values().stream()
                .filter(o -> o instanceof FennelCompileException e && e.getMessage().contains("Compile error")).count();
        assertTrue(parse >= 2 && compile >= 4, "parse errors: " + parse + ", compile errors: " + compile);
    }
}
