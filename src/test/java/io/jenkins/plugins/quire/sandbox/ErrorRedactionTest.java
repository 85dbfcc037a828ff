package io.jenkins.plugins.quire.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.quire.log.Redactor;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * A secret that reaches an error message is redacted even when the message renders it escaped (error tables), cut
 * (long strings, chunk names) or next to bytes that are not UTF-8. Each script gets the secret as the global
 * {@code tok}, as a job gets it from {@code (secret :TOKEN)}; the final text is what the run writes: the sandbox's
 * message, redacted once more by the run's redactor.
 */
class ErrorRedactionTest {
    /** Every character that escaping changes, and long enough that a prefix would be recognisable. */
    private static final String SECRET = "S3cr3t\"quote\\back\nline-0123456789abcdef";
    private static final String PREFIX = "S3cr3t";

    private static String failureText(String lua, String secret) {
        Redactor redactor = new Redactor();
        redactor.add("TOKEN", secret);
        try (ExecSandbox vm = ExecSandbox.create(SandboxLimits.DEFAULTS)) {
            vm.setRedaction(redactor::redact);
            vm.registerGlobal("tok", LuaValue.valueOf(secret));
            ScriptException e = assertThrows(ScriptException.class, () -> vm.execute(lua, "ci.fnl", null));
            return redactor.redact(e.getMessage());
        }
    }

    private static void assertRedacted(String text) {
        assertFalse(text.contains(PREFIX), "a part of the secret shows: " + text);
        assertTrue(text.contains("{{ TOKEN }}"), text);
    }

    @Test
    void aSecretInsideAnErrorTableIsRedactedBeforeItIsEscaped() {
        String text = failureText("error({val = tok})", SECRET);
        assertRedacted(text);
        assertEquals("ci.fnl:1: error object: {val = \"{{ TOKEN }}\"}", text);
    }

    @Test
    void commandOutputHoldingASecretInsideAnErrorTableIsRedacted() {
        String text = failureText("error({stdout = 'line 1\\n' .. tok .. '\\n\"done\"', nested = {k = tok}})", SECRET);
        assertRedacted(text);
        assertFalse(text.contains("back"), text);
    }

    @Test
    void aSecretAsAnErrorTableKeyIsRedacted() {
        assertRedacted(failureText("error({[tok] = 1})", SECRET));
        assertRedacted(failureText("error({[tok] = 1})", "S3cr3tKey")); // an identifier-like key, too
    }

    @Test
    void aLongStringIsCutAfterRedactionNeverThroughASecret() {
        // the secret straddles the 200-character cut of the renderer
        String text = failureText("error({out = string.rep('x', 190) .. tok .. string.rep('y', 50)})", SECRET);
        assertFalse(text.contains(PREFIX), text);
        assertTrue(text.endsWith("...\"}"), text);
        // the cut falls inside the marker: the marker is dropped whole, not cut in two
        String marker = failureText("error({out = string.rep('x', 195) .. tok})", SECRET);
        assertFalse(marker.contains(PREFIX), marker);
        assertFalse(marker.contains("{{ TO"), marker);
    }

    @Test
    void aBytePrefixThatIsNotUtf8DoesNotHideASecretFromRedaction() {
        // LuaJ's decoder swallowed the byte after a stray lead byte, so the rest of the secret no longer matched
        assertRedacted(failureText("error('\\195' .. tok)", SECRET));
        assertRedacted(failureText("error({v = '\\225\\128' .. tok})", SECRET));
        assertRedacted(failureText("assert(false, '\\240' .. tok)", SECRET));
    }

    @Test
    void theLenientDecoderKeepsEveryWellFormedCharacter() {
        LuaString s = LuaString.valueOf(new byte[] {(byte) 0xA9, 'A', (byte) 0xFF, (byte) 0xC3, (byte) 0xA9});
        assertEquals("\uFFFDA\uFFFDé", LuaText.lenient(s));
        assertEquals("😀", LuaText.strict(LuaValue.valueOf("😀"))); // LuaJ's own encoding of a Java string
        assertEquals("😀", LuaText.strict(LuaString.valueOf("😀".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }
}
