package io.jenkins.plugins.quire.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import io.jenkins.plugins.quire.fennel.CompiledScript;
import io.jenkins.plugins.quire.fennel.FennelCompiler;
import io.jenkins.plugins.quire.sandbox.SandboxRunner.Outcome;

/**
 * End to end with the real Fennel compiler: runtime errors of compiled ci.fnl code are reported at
 * the ci.fnl line through the compiler's source map (docs/architecture.md).
 */
class FennelErrorLocationTest {

    private static Outcome runFennel(String fnl) throws Exception {
        CompiledScript cs = FennelCompiler.compile(fnl, "ci.fnl");
        try (ExecSandbox vm = ExecSandbox.create(SandboxLimits.DEFAULTS)) {
            vm.setHostErrorListener((n, e) -> { });
            vm.registerGlobal("sh", SandboxRunner.sh());
            LuaTable ci = new LuaTable();
            ci.set("image", LuaValue.valueOf("img"));
            vm.registerModule("quire.ci", ci);
            return SandboxRunner.execute(vm, cs.lua(), "ci.fnl", cs::sourceLine);
        }
    }

    @Test
    void indexNilLocalIsReportedAtItsFennelLine() throws Exception {
        Outcome o = runFennel("(local ci (require :quire.ci))\n"
                + "(fn check [push]\n"
                + "  ;; the sha of the push\n"
                + "  (. push :sha))\n"
                + "(check nil)\n");
        assertEquals("ci.fnl:4: attempt to index a nil value (local 'push')", o.error());
    }

    @Test
    void callOfMissingFieldInTailPosition() throws Exception {
        Outcome o = runFennel("(local ci (require :quire.ci))\n\n(ci.imagez \"debian\")\n");
        assertEquals("ci.fnl:3: attempt to call a nil value (field 'imagez')", o.error());
    }

    @Test
    void tailPositionErrorCall() throws Exception {
        Outcome o = runFennel("(fn deploy [tag]\n"
                + "  (error (.. \"refusing to deploy \" tag)))\n"
                + "(deploy \"v2\")\n");
        assertEquals("ci.fnl:2: refusing to deploy v2", o.error());
    }

    @Test
    void hostErrorInTailPosition() throws Exception {
        Outcome o = runFennel("(fn build []\n"
                + "  (let [x 1]\n"
                + "    (sh [\"boom\"])))\n"
                + "(build)\n");
        assertEquals("ci.fnl:3: sh: host error (see job log)", o.error());
    }

    @Test
    void shSeesItsFennelLine() throws Exception {
        Outcome o = runFennel("(local ci (require :quire.ci))\n"
                + "\n"
                + "(let [r (sh \"true\")]\n"
                + "  r.line)\n");
        assertEquals("3", o.value());
    }
}
