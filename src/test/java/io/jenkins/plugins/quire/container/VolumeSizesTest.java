package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VolumeSizesTest {
    /** A {@code GET /v1.41/system/df?type=volume} answer of dockerd 20.10, shortened (images and containers cut). */
    private static final String DF = """
            {"LayersSize":0,"Images":null,"Containers":null,"Volumes":[
             {"CreatedAt":"2026-12-05T20:02:14Z","Driver":"local","Labels":{"io.quire.agent":"1"},
              "Mountpoint":"/var/lib/docker/volumes/quire-agent-c949/_data","Name":"quire-agent-c949","Options":null,
              "Scope":"local","UsageData":{"RefCount":0,"Size":79256}},
             {"CreatedAt":"2026-12-05T20:03:00Z","Driver":"local","Labels":{"io.quire.cache":"1"},
              "Mountpoint":"/var/lib/docker/volumes/quire-cache-ab/_data","Name":"quire-cache-ab","Options":null,
              "Scope":"local","UsageData":{"RefCount":1,"Size":20100000}},
             {"Name":"not-computed","UsageData":{"RefCount":-1,"Size":-1}},
             {"Name":"no-usage-data"}
            ],"BuildCache":null,"BuilderSize":0}
            """;

    @Test
    void readsEachMeasuredVolumeAndLeavesOutTheUnknownOnes() throws IOException {
        assertEquals(Map.of("quire-agent-c949", 79256L, "quire-cache-ab", 20100000L),
                VolumeSizes.parse(DF.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anAnswerWithoutVolumesGivesNoSizesAndBrokenJsonFails() throws IOException {
        assertEquals(Map.of(), VolumeSizes.parse("{\"Volumes\":null}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> VolumeSizes.parse("{\"Volumes\":[".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sizesReadInDecimalUnitsOrUnknown() {
        assertEquals("unknown", new CacheVolume("v", "o", "/c", "").sizeText());
        assertEquals("0 B", new CacheVolume("v", "o", "/c", "", 0L).sizeText());
        assertEquals("999 B", new CacheVolume("v", "o", "/c", "", 999L).sizeText());
        assertEquals("1.0 kB", new CacheVolume("v", "o", "/c", "", 1000L).sizeText());
        assertEquals("20.1 MB", new CacheVolume("v", "o", "/c", "", 20_100_000L).sizeText());
        assertEquals("1.0 MB", new CacheVolume("v", "o", "/c", "", 999_960L).sizeText());
        assertEquals("3.2 GB", new CacheVolume("v", "o", "/c", "", 3_210_000_000L).sizeText());
    }
}
