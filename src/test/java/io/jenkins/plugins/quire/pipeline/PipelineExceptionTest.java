package io.jenkins.plugins.quire.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rendered form users read: header, located messages, quoted source line, caret under a Fennel column. */
class PipelineExceptionTest {
    private static final String SOURCE = "(local ci (require :quire.ci))\n(ci.job :setup [] (fn [] nil))\n\t(ci.job :a [:b]\n";

    @Test
    void rendersHeaderLocationAndQuotedLine() {
        PipelineException e = new PipelineException("ci.fnl", SOURCE, List.of(new Diagnostic(2, "Job 'setup' has empty inputs.")));
        assertEquals("ci.fnl has errors\n"
                + "  ci.fnl:2: Job 'setup' has empty inputs.\n"
                + "     2 | (ci.job :setup [] (fn [] nil))", e.getMessage());
    }

    @Test
    void rendersColumnCaretKeepingTabsAndHintLines() {
        PipelineException e = new PipelineException(".quire/ci.fnl", SOURCE,
                List.of(new Diagnostic(3, 5, "Parse error: expected closing delimiter )\n* Try adding a )")));
        assertEquals(".quire/ci.fnl has errors\n"
                + "  .quire/ci.fnl:3:5: Parse error: expected closing delimiter )\n"
                + "     3 | \t(ci.job :a [:b]\n"
                + "       | \t    ^\n"
                + "    * Try adding a )", e.getMessage());
    }

    @Test
    void unknownLineAndLineBeyondTheSourceQuoteNothing() {
        PipelineException e = new PipelineException("ci.fnl", SOURCE,
                List.of(new Diagnostic(0, "cannot read ci.fnl"), new Diagnostic(99, "late")));
        assertEquals("ci.fnl has errors\n  ci.fnl: cannot read ci.fnl\n  ci.fnl:99: late", e.getMessage());
    }

    @Test
    void needsAtLeastOneDiagnostic() {
        assertThrows(IllegalArgumentException.class, () -> new PipelineException("ci.fnl", null, List.of()));
    }
}
