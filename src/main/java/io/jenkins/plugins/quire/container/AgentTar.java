package io.jenkins.plugins.quire.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Why: Docker's archive API takes and gives tar streams. The agent's install needs one directory and one file, and
 * reading the image's {@code /etc/passwd} needs the first file of a tar; commons-compress is not among the shaded
 * libraries, so these few ustar lines do it (POSIX ustar, names under 100 bytes, regular files and directories only).
 */
final class AgentTar {
    private static final int BLOCK = 512;

    private AgentTar() { }

    /** A tar holding directory {@code dir/} (0755) and file {@code dir/name} (0755), both owned by root. */
    static byte[] directoryWithExecutable(String dir, String name, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 4 * BLOCK);
        out.writeBytes(header(dir + "/", 0, '5'));
        out.writeBytes(header(dir + "/" + name, content.length, '0'));
        out.writeBytes(content);
        out.writeBytes(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    private static byte[] header(String name, long size, char type) {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length >= 100) throw new IllegalArgumentException("tar entry name too long: " + name);
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, 0755);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        return h;
    }

    /** Writes {@code value} as zero-padded octal in {@code width - 1} digits and a NUL. */
    private static void octal(byte[] h, int off, int width, long value) {
        String s = Long.toOctalString(value);
        if (s.length() > width - 1) throw new IllegalArgumentException("value too large for a tar header: " + value);
        s = "0".repeat(width - 1 - s.length()) + s;
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, width - 1);
        h[off + width - 1] = 0;
    }

    /**
     * The content of the first entry of a tar stream when it is a regular file of at most {@code max} bytes; null
     * otherwise (a link, a directory, too large, not a tar).
     */
    static byte[] firstRegularFile(InputStream in, int max) throws IOException {
        byte[] h = in.readNBytes(BLOCK);
        if (h.length < BLOCK) return null;
        byte type = h[156];
        if (type != '0' && type != 0) return null;
        long size;
        try {
            size = Long.parseLong(new String(h, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
        } catch (NumberFormatException e) {
            return null;
        }
        if (size > max) return null;
        byte[] content = in.readNBytes((int) size);
        return content.length == size ? content : null;
    }
}
