package io.jenkins.plugins.quire.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputsJsonTest {
    @Test
    void plainJavaDataBecomesTheSameJson() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sha", "abc");
        m.put("n", 3);
        m.put("ratio", 0.5);
        m.put("ok", true);
        m.put("list", Arrays.asList(1L, null, List.of("x")));
        assertEquals(new ObjectMapper().readTree("{\"sha\":\"abc\",\"n\":3,\"ratio\":0.5,\"ok\":true,\"list\":[1,null,[\"x\"]]}"),
                OutputsJson.toJson(m));
    }

    @Test
    void nonDataValuesAreRefusedWithTheirPath() {
        Map<String, Object> m = Map.of("files", List.of("a", new Object()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputsJson.toJson(m));
        assertEquals("outputs.files[2] is not JSON data (a java.lang.Object)", e.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> OutputsJson.toJson(Double.NaN));
        assertEquals("outputs is not JSON data (the number NaN)", nan.getMessage());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> OutputsJson.toJson(Map.of(1, "x")));
        assertEquals("outputs has a key that is not a string: 1", key.getMessage());
    }
}
