package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The build step's validation rules (no Hudson needed): pipeline path, image reference, secret name, timeout. */
class FormChecksTest {

    @ParameterizedTest
    @ValueSource(strings = {".quire/ci.fnl", "ci.fnl", "a/b/c.fnl", "a/../b.fnl", "./ci/x.fnl", "ci\\win.fnl"})
    void relativePathsInsideTheWorkspaceAreAccepted(String path) {
        assertNull(FormChecks.file(path));
    }

    @Test
    void blankPathMeansTheDefault() {
        assertNull(FormChecks.file(" "));
        assertEquals(".quire/ci.fnl", FormChecks.fileOrDefault(""));
        assertEquals("x/y.fnl", FormChecks.fileOrDefault(" x/y.fnl "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../ci.fnl", "a/../../ci.fnl", "..", "./..", "a/.."})
    void pathsLeavingTheWorkspaceAreRefused(String path) {
        String error = FormChecks.file(path);
        assertNotNull(error, path);
        assertTrue(error.contains("leaves the workspace") || error.contains("must name a file"), error);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/ci.fnl", "\\\\server\\ci.fnl", "C:\\ci.fnl"})
    void absolutePathsAreRefused(String path) {
        assertTrue(FormChecks.file(path).contains("relative to the workspace"), path);
    }

    @Test
    void folderPathIsRefused() {
        assertTrue(FormChecks.file("ci/").contains("names a folder"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian", "debian:bookworm", "quire-test:busybox", "library/debian:12.5-slim",
            "registry.example.com:5000/team/app:v1.2_3", "localhost/img", "ghcr.io/o/r/img:tag",
            "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "my_image__x", "a-b--c"})
    void validImageReferencesAreAccepted(String image) {
        assertNull(FormChecks.image(image), image);
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian::bookworm", "-debian", "debian:", ":tag", "a//b", "img@sha256:short",
            "debian:bookworm/x", "debian:" + "t234567890123456789012345678901234567890123456789012345678901234"
                    + "5678901234567890123456789012345678901234567890123456789012345678901"})
    void malformedImageReferencesAreRefused(String image) {
        assertTrue(FormChecks.image(image).contains("Not a Docker image reference"), image);
    }

    @Test
    void imageNamesMustBeLowercaseButRegistryHostsNeedNot() {
        assertTrue(FormChecks.image("Debian:bookworm").contains("must be lowercase"));
        assertTrue(FormChecks.image("Registry.Example.com/Team/App").contains("must be lowercase"));
        assertNull(FormChecks.image("Registry.Example.com/team/app"));
        assertNull(FormChecks.image("debian:Bookworm"), "tags may hold capitals");
    }

    @Test
    void imageWithSpacesAndBlankImage() {
        assertTrue(FormChecks.image("debian bookworm").contains("cannot contain spaces"));
        assertNull(FormChecks.image(""));
        assertNull(FormChecks.trimToNull("  "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "_x", "UPLOAD_TOKEN", "a.b-c_9"})
    void validSecretNames(String name) {
        assertNull(FormChecks.secretName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1abc", "-x", ".x", "has space", "a/b", "é"})
    void invalidSecretNamesSayWhy(String name) {
        assertTrue(FormChecks.secretName(name).contains("is not a valid secret name"), name);
    }

    @Test
    void secretNameIsRequired() {
        assertEquals("A secret needs a name.", FormChecks.secretName(""));
        assertEquals("A secret needs a name.", FormChecks.secretName(null));
    }

    @Test
    void timeoutIsAPositiveWholeNumberOfMinutesUpToAWeek() {
        assertNull(FormChecks.timeout("1"));
        assertNull(FormChecks.timeout(" 60 "));
        assertNull(FormChecks.timeout(""));
        assertNull(FormChecks.timeout("10080"));
        assertTrue(FormChecks.timeout("10081").contains("at most 10080"));
        assertTrue(FormChecks.timeout("0").contains("at least 1 minute"));
        assertTrue(FormChecks.timeout("-5").contains("at least 1 minute"));
        assertTrue(FormChecks.timeout("1.5").contains("whole number"));
        assertTrue(FormChecks.timeout("abc").contains("whole number"));
    }

    @Test
    void timeoutFieldFallsBackToTheDefault() {
        assertEquals(60, FormChecks.timeoutMinutes(null));
        assertEquals(60, FormChecks.timeoutMinutes("x"));
        assertEquals(60, FormChecks.timeoutMinutes("0"));
        assertEquals(15, FormChecks.timeoutMinutes("15"));
    }
}
