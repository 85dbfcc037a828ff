package io.jenkins.plugins.quire.fennel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Input the compiler is handed directly (the compile command, tests, a future caller without the file
 * reader's size limit) and errors raised in macro code: every message names ci.fnl (and the line where
 * there is one), never fennel.lua's own positions or the generated macro chunk.
 */
class CompilerInputLimitsTest {

    private static FennelCompileException fails(String source) {
        return assertThrows(FennelCompileException.class, () -> FennelCompiler.compile(source, "ci.fnl"));
    }

    private static boolean compiles(String source) throws FennelCompileException {
        return FennelCompiler.compile(source, "ci.fnl").lua() != null;
    }

    private static void assertNoInternals(String msg) {
        assertFalse(msg.contains("fennel.lua"), msg);
        assertFalse(msg.contains("[string"), msg);
        assertFalse(msg.contains("Exception"), msg);
    }

    @Test
    void deeplyNestedFormsAreRefusedAtTheirLine() throws Exception {
        FennelCompileException e = fails("(local x 1)\n" + "(do ".repeat(3000) + "1" + ")".repeat(3000) + "\n");
        assertTrue(e.getMessage().startsWith("ci.fnl:2:400: forms nested too deeply (more than 100 levels)"), e.getMessage());
        assertEquals(2, e.line());
        assertNoInternals(e.getMessage());
        String fine = "(local x " + "[".repeat(60) + "1" + "]".repeat(60) + ")\n";
        assertTrue(compiles(fine));
    }

    @Test
    void delimitersInStringsAndCommentsDoNotCount() throws Exception {
        assertTrue(compiles("(local s \"" + "(".repeat(500) + "\") ; " + "[".repeat(500) + "\n"));
    }

    @Test
    void aHugeSourceIsRefusedBeforeCompiling() {
        FennelCompileException e = fails(";" + "x".repeat(20 << 20) + "\n");
        assertEquals("ci.fnl: the source is 20971522 bytes; the compiler accepts at most 1048576 bytes (1 MiB)", e.getMessage());
    }

    @Test
    void anErrorInMacroCodeIsLocatedAtTheMacroCallInCiFnl() {
        FennelCompileException e = fails("(macro m [] (error \"boom\"))\n(m)\n");
        assertTrue(e.getMessage().startsWith("ci.fnl:2:0: Compile error: in macro code: boom"), e.getMessage());
        assertNoInternals(e.getMessage());
    }

    @Test
    void aMacroRecursingForeverNamesNoInternals() {
        FennelCompileException e = fails("(macro r [] (fn f [x] (+ 1 (f x))) (f 1))\n(r)\n");
        assertTrue(e.getMessage().startsWith("ci.fnl"), e.getMessage());
        assertNoInternals(e.getMessage());
    }
}
