package io.jenkins.plugins.quire.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Why: Docker's archive API takes and gives tar streams. The agent's install needs one directory and one file, and
 * reading the image's {@code /etc/passwd} needs the first file of a tar; commons-compress is not among the shaded
 * libraries, so these few ustar lines do it (POSIX ustar, names under 100 bytes; PAX headers are read only for a link's target).
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

    /** The stream is not the tar Docker sends (as opposed to a stream that broke while read). */
    static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }

    /**
     * The first entry of a tar stream as Docker's archive API gives one path: a regular file's content (null when
     * larger than {@code max} bytes), a symbolic link's target, or only its type. A PAX header before it (Go's tar
     * writes one for long or non-ASCII names) is read for its {@code linkpath}. Null when the stream holds no entry.
     */
    static Entry firstEntry(InputStream in, int max) throws IOException {
        String paxLink = null;
        for (int headers = 0; headers < 3; headers++) {
            byte[] h = in.readNBytes(BLOCK);
            if (h.length < BLOCK || isZero(h)) return null;
            char type = h[156] == 0 ? '0' : (char) (h[156] & 0xff);
            long size = size(h);
            if (type == 'x') {
                if (size > max) throw new FormatException("a tar PAX header of " + size + " bytes");
                byte[] pax = in.readNBytes((int) size);
                in.skipNBytes(padding(size));
                String link = paxValue(pax, "linkpath");
                if (link != null) paxLink = link;
                continue;
            }
            if (type == '2') return new Entry(type, null, paxLink != null ? paxLink : cString(h, 157, 100), size);
            if (type != '0' || size > max) return new Entry(type, null, null, size);
            byte[] content = in.readNBytes((int) size);
            if (content.length < size) throw new FormatException("the tar stream ends inside its first file");
            return new Entry(type, content, null, size);
        }
        throw new FormatException("a tar stream with more than two extended headers before its first file");
    }

    /** One tar entry: {@code content} for a regular file within the limit, {@code linkTarget} for a symbolic link. */
    record Entry(char type, byte[] content, String linkTarget, long size) {
        /** What the entry is, for a message: "a directory", "a file of N bytes", ... */
        String describe() {
            switch (type) {
                case '0': return "a file of " + size + " bytes";
                case '2': return "a symbolic link to " + linkTarget;
                case '5': return "a directory";
                default: return "a special file (tar type '" + type + "')";
            }
        }
    }

    private static long size(byte[] h) throws IOException {
        String s = cString(h, 124, 12).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new FormatException("not a tar stream (size field '" + s + "')");
        }
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) if (b != 0) return false;
        return true;
    }

    private static String cString(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    /** The value of {@code key} in PAX records ({@code "<length> <key>=<value>\n"}), or null. */
    private static String paxValue(byte[] pax, String key) {
        int i = 0;
        while (i < pax.length) {
            int space = i;
            while (space < pax.length && pax[space] != ' ') space++;
            int length;
            try {
                length = Integer.parseInt(new String(pax, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return null;
            }
            if (length <= 0 || i + length > pax.length || space + 1 > i + length - 1) return null;
            String record = new String(pax, space + 1, i + length - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0 && record.substring(0, eq).equals(key)) return record.substring(eq + 1);
            i += length;
        }
        return null;
    }
}
