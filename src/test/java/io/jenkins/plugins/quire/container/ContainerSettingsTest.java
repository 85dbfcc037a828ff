package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The two settings the agent needs, read from an inspect answer as the engine sends it (other fields ignored). */
class ContainerSettingsTest {
    private static ContainerSettings.Settings parse(String json) throws Exception {
        return ContainerSettings.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void variablesAndHostnameAreRead() throws Exception {
        ContainerSettings.Settings s = parse("{\"Id\":\"abc\",\"State\":{\"Running\":true},\"Config\":{\"Hostname\":\"0123abcd\","
                + "\"Env\":[\"PATH=/usr/bin\",\"A=b=c\",\"EMPTY=\"],\"Cmd\":[\"x\"],\"Labels\":{\"k\":\"v\"}},\"HostConfig\":{}}");
        assertEquals(List.of("PATH=/usr/bin", "A=b=c", "EMPTY="), s.env());
        assertEquals("0123abcd", s.hostname());
    }

    @Test
    void missingOrNullFieldsMeanNoneNotAFailure() throws Exception {
        ContainerSettings.Settings s = parse("{\"Config\":{\"Env\":null,\"Hostname\":\"\"}}");
        assertEquals(List.of(), s.env());
        assertNull(s.hostname());
        assertEquals(List.of(), parse("{}").env());
    }
}
