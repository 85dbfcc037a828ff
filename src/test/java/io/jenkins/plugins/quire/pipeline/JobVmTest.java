package io.jenkins.plugins.quire.pipeline;

import static io.jenkins.plugins.quire.pipeline.PipelineLoaderTest.HEAD;
import static io.jenkins.plugins.quire.pipeline.PipelineLoaderTest.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.pipeline.RuntimeBindingTest.Recording;
import io.jenkins.plugins.quire.sandbox.ScriptException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;

/**
 * Each job gets its own execute VM ({@link LoadedPipeline#openJob}): ci.fnl's top level is evaluated again in it,
 * must register what validation saw, and nothing a run-fn changes or stashes is visible to another job's run-fn.
 */
class JobVmTest {
    private static final String ISOLATION = HEAD
            + "(local shared {:n 0})\n"
            + "(ci.job :a [:quire/push]\n"
            + "  (fn [{: sh}]\n"
            + "    (sh \"a-own\")\n"
            + "    (tset _G :leak \"from a\")\n"
            + "    (tset ci :extra \"from a\")\n"
            + "    (tset (require :quire.ci) :job nil)\n"
            + "    (tset shared :n 42)\n"
            + "    (tset string :upper (fn [] \"PWNED\"))\n"
            + "    (each [_ place (ipairs [_G ci shared string])] (tset place :stash sh))\n"
            + "    (tset _G :stashed-table shared)\n"
            + "    {:upper (: \"abc\" :upper) :n shared.n :job (type ci.job)}))\n"
            + "(ci.job :b [:quire/push]\n"
            + "  (fn [{: sh}]\n"
            + "    (var stashes 0)\n"
            + "    (each [_ place (ipairs [_G ci shared string (require :quire.ci)])]\n"
            + "      (when (not= nil (. place :stash)) (set stashes (+ stashes 1))))\n"
            + "    {:leak (tostring (. _G :leak)) :extra (tostring ci.extra) :job (type ci.job) :n shared.n\n"
            + "     :upper (: \"abc\" :upper) :stashes stashes :out (. (sh \"mine\") :stdout)}))\n";

    private static String field(LuaValue t, String k) {
        return t.get(k).tojstring();
    }

    @Test
    void whatARunFnChangesOrStashesIsInvisibleToAnotherJobsRunFn() throws Exception {
        try (LoadedPipeline loaded = load(ISOLATION)) {
            JobDefinition a = loaded.pipeline().job("a").orElseThrow();
            JobDefinition b = loaded.pipeline().job("b").orElseThrow();
            Recording bindingA = new Recording();
            Recording bindingB = new Recording();
            Recording bindingB2 = new Recording();
            try (JobVm vmA = loaded.openJob(a, null); JobVm vmB = loaded.openJob(b, null)) {
                LuaValue ra = vmA.run(bindingA, null).arg1();
                assertEquals("PWNED", field(ra, "upper"), "a sees its own change (Lua semantics)");
                assertEquals("42", field(ra, "n"));
                assertEquals("nil", field(ra, "job"));

                LuaValue rb = vmB.run(bindingB, null).arg1();   // opened before a ran
                try (JobVm later = loaded.openJob(b, null)) {    // and opened after a ran
                    LuaValue rb2 = later.run(bindingB2, null).arg1();
                    for (LuaValue r : List.of(rb, rb2)) {
                        assertEquals("nil", field(r, "leak"), "globals");
                        assertEquals("nil", field(r, "extra"), "the quire.ci module table");
                        assertEquals("function", field(r, "job"), "the quire.ci module table");
                        assertEquals("0", field(r, "n"), "a top-level local's table (an upvalue)");
                        assertEquals("ABC", field(r, "upper"), "the string library");
                        assertEquals("0", field(r, "stashes"), "a's sh stashed anywhere shared-looking");
                    }
                    assertEquals("ran mine", field(rb2, "out"));
                }
                assertEquals("ran mine", field(rb, "out"));
            }
            assertEquals(List.of("sh a-own @5"), bindingA.calls, "a's binding saw only a's calls");
            assertEquals(List.of("sh mine @19"), bindingB.calls, "b's sh went to b's own binding");
            assertEquals(List.of("sh mine @19"), bindingB2.calls);
        }
    }

    @Test
    void eachJobVmHasItsOwnRunFnAndTopLevelState() throws Exception {
        try (LoadedPipeline loaded = load(HEAD
                + "(var count 0)\n"
                + "(ci.job :a [:quire/push] (fn [] (set count (+ count 1)) {:count count}))\n")) {
            JobDefinition a = loaded.pipeline().job("a").orElseThrow();
            try (JobVm one = loaded.openJob(a, null); JobVm two = loaded.openJob(a, null)) {
                assertEquals("1", field(one.run(new Recording(), null).arg1(), "count"));
                assertEquals("2", field(one.run(new Recording(), null).arg1(), "count"), "the same VM keeps its state");
                assertEquals("1", field(two.run(new Recording(), null).arg1(), "count"), "another VM starts afresh");
                assertEquals("a", one.job().id());
            }
        }
    }

    @Test
    void shSecretAndJobsStillRefuseAtTheTopLevelOfTheReEvaluation() throws Exception {
        // the top level catches the refusal and registers the job only if sh refused: same as at load time
        try (LoadedPipeline loaded = load(HEAD
                + "(when (not (pcall sh \"id\")) (ci.job :a [:quire/push] (fn [] {:ok true})))\n")) {
            JobDefinition a = loaded.pipeline().job("a").orElseThrow();
            try (JobVm vm = loaded.openJob(a, null)) {
                assertEquals("true", field(vm.run(new Recording(), null).arg1(), "ok"));
            }
        }
    }

    @Test
    void aTopLevelThatRegistersDifferentJobsEachTimeFailsTheJobWithAClearError() throws Exception {
        // a table's address differs in every VM: the second evaluation registers another job id
        try (LoadedPipeline loaded = load(HEAD
                + "(ci.job :a [:quire/push] (fn [] {}))\n"
                + "(ci.job (.. \"j\" (: (tostring {}) :sub 8)) [:quire/push] (fn [] {}))\n")) {
            JobDefinition a = loaded.pipeline().job("a").orElseThrow();
            ScriptException e = assertThrows(ScriptException.class, () -> loaded.openJob(a, null));
            assertEquals(ScriptException.Kind.ERROR, e.kind());
            assertTrue(e.getMessage().matches("ci\\.fnl: evaluating the file again for job 'a' registered different jobs"
                    + " \\(a, j\\w+ instead of a, j\\w+\\); its top level must register the same jobs every time it runs"),
                    e.getMessage());
        }
    }

    @Test
    void differentInputsOrImageAreNamed() throws Exception {
        try (LoadedPipeline loaded = load(HEAD + "(ci.image \"img:1\")\n"
                + "(ci.job :a [:quire/push] (fn [] {}))\n(ci.job :b [:a :quire/push] (fn [] {}))\n")) {
            JobDefinition b = loaded.pipeline().job("b").orElseThrow();
            PipelineBuilder swapped = new PipelineBuilder().image("img:1", 1)
                    .job("a", List.of("quire/push"), 2, b.runFn()).job("b", List.of("quire/push", "a"), 3, b.runFn());
            ScriptException e = assertThrows(ScriptException.class, () -> JobVm.sameRegistration(loaded, b, swapped));
            assertEquals("ci.fnl: evaluating the file again for job 'b' registered job 'b' with inputs [quire/push a]"
                    + " instead of [a quire/push]; its top level must register the same jobs every time it runs", e.getMessage());
            PipelineBuilder otherImage = new PipelineBuilder().image("img:2", 1)
                    .job("a", List.of("quire/push"), 2, loaded.pipeline().job("a").orElseThrow().runFn())
                    .job("b", List.of("a", "quire/push"), 3, b.runFn());
            e = assertThrows(ScriptException.class, () -> JobVm.sameRegistration(loaded, b, otherImage));
            assertTrue(e.getMessage().contains("registered image 'img:2' instead of 'img:1'"), e.getMessage());
            PipelineBuilder noFn = new PipelineBuilder().image("img:1", 1)
                    .job("a", List.of("quire/push"), 2, null).job("b", List.of("a", "quire/push"), 3, b.runFn());
            e = assertThrows(ScriptException.class, () -> JobVm.sameRegistration(loaded, b, noFn));
            assertTrue(e.getMessage().contains("registered job 'a' without a run function"), e.getMessage());
        }
    }

    @Test
    void anAbortBeforeTheRunStartsStopsItAndOneDuringTheRunStopsTheLoop() throws Exception {
        try (LoadedPipeline loaded = load(HEAD + "(ci.job :spin [:quire/push] (fn [] (while true nil)))\n")) {
            JobDefinition spin = loaded.pipeline().job("spin").orElseThrow();
            try (JobVm vm = loaded.openJob(spin, null)) {
                vm.abort("run aborted early");
                ScriptException e = assertThrows(ScriptException.class, () -> vm.run(new Recording(), null));
                assertEquals(ScriptException.Kind.ABORTED, e.kind());
                assertTrue(e.getMessage().contains("run aborted early"), e.getMessage());
            }
            try (JobVm vm = loaded.openJob(spin, null)) {
                CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> {
                    try {
                        return vm.run(new Recording(), loaded.sandbox().limits().withMaxInstructions(0).withCpuTimeMillis(0));
                    } catch (ScriptException ex) {
                        return ex;
                    }
                });
                Thread.sleep(200);
                vm.abort("job 'spin' timed out");
                Object r = f.get(30, TimeUnit.SECONDS);
                assertTrue(r instanceof ScriptException se && se.kind() == ScriptException.Kind.ABORTED
                        && se.getMessage().contains("job 'spin' timed out"), String.valueOf(r));
            }
        }
    }

    @Test
    void aRunFnOverItsCpuBudgetFailsWithTheLimitAndTheCiFnlLine() throws Exception {
        try (LoadedPipeline loaded = load(HEAD + "(ci.job :spin [:quire/push]\n  (fn []\n    (while true nil)))\n")) {
            try (JobVm vm = loaded.openJob(loaded.pipeline().job("spin").orElseThrow(), null)) {
                ScriptException e = assertThrows(ScriptException.class, () -> vm.run(new Recording(),
                        loaded.sandbox().limits().withMaxInstructions(0).withCpuTimeMillis(300)));
                assertEquals(ScriptException.Kind.LIMIT, e.kind());
                assertEquals("ci.fnl:4: CPU time limit exceeded (300 ms)", e.getMessage());
            }
        }
    }

    @Test
    void aSourceHasNoVmAndTheRunFnIsNotTheValidationVmsClosure() throws Exception {
        try (LoadedPipeline loaded = load(HEAD + "(ci.job :a [:quire/push] (fn [] {}))\n")) {
            assertThrows(IllegalArgumentException.class,
                    () -> loaded.openJob(loaded.pipeline().job("quire/push").orElseThrow(), null));
            JobDefinition a = loaded.pipeline().job("a").orElseThrow();
            try (JobVm vm = loaded.openJob(a, null)) {
                assertNotSame(a.runFn(), vm.runFnForTest());
            }
        }
    }
}
