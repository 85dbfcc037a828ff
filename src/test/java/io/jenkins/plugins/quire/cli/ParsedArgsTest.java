package io.jenkins.plugins.quire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Strict option parsing shared by the subcommands. */
class ParsedArgsTest {
    private static ParsedArgs parse(String... args) throws UsageException {
        return ParsedArgs.parse("run", List.of(args), Set.of("--file", "--secret"), Set.of("--secret"));
    }

    @Test
    void separateAndEqualsFormsGiveTheValue() throws Exception {
        assertEquals("a.fnl", parse("--file", "a.fnl").value("--file", "d"));
        assertEquals("b=c.fnl", parse("--file=b=c.fnl").value("--file", "d"));
        assertEquals("d", parse().value("--file", "d"));
    }

    @Test
    void repeatableOptionKeepsEveryValueInOrder() throws Exception {
        assertEquals(List.of("A=X", "B=Y"), parse("--secret", "A=X", "--secret=B=Y").values("--secret"));
        assertEquals(List.of(), parse().values("--secret"));
    }

    @Test
    void helpFlagIsRecognisedAnywhere() throws Exception {
        assertTrue(parse("--file", "x", "-h").help());
        assertTrue(parse("--help").help());
        assertFalse(parse("--file", "x").help());
    }

    @Test
    void malformedCommandLinesNameTheCulprit() {
        assertEquals("unknown option '--fil' for 'run'", assertThrows(UsageException.class, () -> parse("--fil", "x")).getMessage());
        assertEquals("unknown option '--nope' for 'run'", assertThrows(UsageException.class, () -> parse("--nope=1")).getMessage());
        assertEquals("unexpected argument 'extra' for 'run'", assertThrows(UsageException.class, () -> parse("extra")).getMessage());
        assertEquals("option '--file' needs a value", assertThrows(UsageException.class, () -> parse("--file")).getMessage());
        assertEquals("option '--file' needs a non-empty value", assertThrows(UsageException.class, () -> parse("--file=")).getMessage());
        assertEquals("option '--file' given more than once",
                assertThrows(UsageException.class, () -> parse("--file", "a", "--file", "b")).getMessage());
    }
}
