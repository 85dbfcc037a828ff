package io.jenkins.plugins.quire.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** java.nio's file errors in words, with the file, never the exception's class name. */
class IoErrorsTest {
    @TempDir Path dir;

    @Test
    void theCommonFileErrorsReadAsWords() throws IOException {
        Path file = Files.writeString(dir.resolve("logs"), "x");
        IOException exists = assertThrows(IOException.class, () -> Files.createDirectory(file));
        assertEquals(file + " already exists (and is in the way)", IoErrors.describe(exists));
        IOException missing = assertThrows(IOException.class, () -> Files.readString(dir.resolve("nope")));
        assertEquals(dir.resolve("nope") + " does not exist", IoErrors.describe(missing));
        assertEquals("/root/x cannot be accessed: permission denied",
                IoErrors.describe(new AccessDeniedException("/root/x")));
        assertEquals("/dev/x cannot be used: Read-only file system",
                IoErrors.describe(new FileSystemException("/dev/x", null, "Read-only file system")));
        assertEquals("disk on fire", IoErrors.describe(new IOException("disk on fire")));
    }
}
