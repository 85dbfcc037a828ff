package io.jenkins.plugins.quire.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a ci.fnl file strictly: a missing file, a directory, an unreadable file or bytes that are not UTF-8 all
 * become a {@link PipelineException} naming the path, never a stack trace. A UTF-8 byte-order mark is dropped.
 */
public final class PipelineSource {
    private PipelineSource() {}

    /**
     * @param file     the file to read
     * @param fileName the name used in the error (usually {@code file.toString()})
     * @return the text
     */
    public static String read(Path file, String fileName) throws PipelineException {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) throw fail(fileName, "cannot read " + file + ": it is a directory, not a file");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw fail(fileName, "cannot read " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw fail(fileName, "cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw fail(fileName, "cannot read " + file + ": " + e.getMessage());
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw fail(fileName, "cannot read " + file + ": not valid UTF-8 (byte offset " + firstBadByte(bytes) + ")");
        }
    }

    private static PipelineException fail(String fileName, String message) {
        return new PipelineException(fileName, null, List.of(new Diagnostic(0, message)));
    }

    /** Offset of the first byte where UTF-8 decoding fails, to point the user at it. */
    private static int firstBadByte(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        var in = ByteBuffer.wrap(bytes);
        var out = java.nio.CharBuffer.allocate(bytes.length + 1);
        var result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : bytes.length;
    }
}
