package io.jenkins.plugins.quire.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Reads a ci.fnl file strictly: it comes from a checkout that anyone able to push wrote, so only a regular file
 * whose real path lies inside the workspace is read (a link to {@code /etc/shadow} or {@code /dev/zero}, a FIFO or
 * a socket is refused without being opened), at most {@link #MAX_BYTES}. A missing file, a directory, an unreadable
 * file or bytes that are not UTF-8 all become a {@link PipelineException} naming the path, never a stack trace and
 * never the content of a file it refused. A UTF-8 byte-order mark is dropped.
 */
public final class PipelineSource {
    /** The largest pipeline file read (1 MiB). */
    public static final int MAX_BYTES = 1 << 20;

    private PipelineSource() {}

    /** As {@link #read(Path, String, Path)} with the current directory as the root (the command line). */
    public static String read(Path file, String fileName) throws PipelineException {
        return read(file, fileName, Path.of(""));
    }

    /**
     * @param file     the file to read
     * @param fileName the name used in the error (usually {@code file.toString()})
     * @param root     the workspace: a file named inside it must really be inside it (links may only point
     *                 inside); a file named elsewhere (the user's own choice) must really be in the folder it is
     *                 named in
     * @return the text
     */
    /** Whether one of {@code named}'s prefixes is {@code root} by real path (the two named through different links). */
    private static boolean entersByRealPath(Path named, Path root) {
        try {
            Path rootReal = root.toRealPath();
            for (int i = 1; i < named.getNameCount(); i++) {
                Path prefix = named.getRoot().resolve(named.subpath(0, i));
                if (!Files.exists(prefix)) return false;
                if (prefix.toRealPath().startsWith(rootReal)) return true;
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    public static String read(Path file, String fileName, Path root) throws PipelineException {
        Path named = file.toAbsolutePath().normalize();
        Path confine = root.toAbsolutePath().normalize();
        if (!named.startsWith(confine) && !entersByRealPath(named, confine) && named.getParent() != null) {
            confine = named.getParent();
        }
        byte[] bytes;
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(confine.toRealPath())) {
                throw fail(fileName, "cannot read " + file + ": it is a link that leads outside " + confine
                        + "; the pipeline file must be inside it");
            }
            // checked before opening, without following links: opening a FIFO would block, a device never ends
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isDirectory()) throw fail(fileName, "cannot read " + file + ": it is a directory, not a file");
            if (!a.isRegularFile()) {
                throw fail(fileName, "cannot read " + file + ": it is not a regular file (a device, a FIFO or a socket)");
            }
            if (a.size() > MAX_BYTES) throw tooLarge(fileName, file);
            bytes = readAtMost(real);
            if (bytes.length > MAX_BYTES) throw tooLarge(fileName, file);
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

    /** Up to {@link #MAX_BYTES} + 1 bytes: the limit holds even when the file grows after its size was read. */
    private static byte[] readAtMost(Path real) throws IOException {
        try (InputStream in = Files.newInputStream(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes(MAX_BYTES + 1);
        }
    }

    private static PipelineException tooLarge(String fileName, Path file) {
        return fail(fileName, "cannot read " + file + ": it is larger than 1 MiB (" + MAX_BYTES
                + " bytes), the most a pipeline file may hold");
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
