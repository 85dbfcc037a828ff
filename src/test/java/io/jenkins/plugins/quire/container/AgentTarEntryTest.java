package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The first entry of a tar stream as Docker's archive API gives one path (Go's archive/tar: ustar, with a PAX header
 * first when a name or link is long): a file, a link with its target, a directory; and where links lead.
 */
class AgentTarEntryTest {

    /** A ustar header written independently of {@link AgentTar} (octal fields, checksum). */
    private static byte[] header(String name, long size, char type, String link) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, "00000000000");
        h[156] = (byte) type;
        if (link != null) put(h, 157, link);
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) h[i] = ' ';
        int sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, String.format("%06o", sum));
        return h;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, b.length);
    }

    private static byte[] tar(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
            out.writeBytes(new byte[(512 - p.length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static AgentTar.Entry first(byte[] tar, int max) throws IOException {
        return AgentTar.firstEntry(new ByteArrayInputStream(tar), max);
    }

    @Test
    void aRegularFileGivesItsContent() throws IOException {
        byte[] body = "root:x:0:0:root:/root:/bin/sh\n".getBytes(StandardCharsets.UTF_8);
        AgentTar.Entry e = first(tar(header("passwd", body.length, '0', null), body), 1 << 20);
        assertArrayEquals(body, e.content());
        assertNull(e.linkTarget());
    }

    @Test
    void aSymbolicLinkGivesItsTargetAndNoContent() throws IOException {
        AgentTar.Entry e = first(tar(header("passwd", 0, '2', "accounts/passwd")), 1 << 20);
        assertEquals("accounts/passwd", e.linkTarget());
        assertNull(e.content());
        assertEquals("a symbolic link to accounts/passwd", e.describe());
    }

    @Test
    void aPaxLinkpathWinsOverTheTruncatedUstarOne() throws IOException {
        String longTarget = "/" + "d".repeat(150) + "/passwd";
        String record = " linkpath=" + longTarget + "\n";
        int len = record.length() + 3;                         // three digits of length, the record counts itself
        byte[] pax = (len + record).getBytes(StandardCharsets.UTF_8);
        assertEquals(len, pax.length);
        AgentTar.Entry e = first(tar(header("PaxHeaders/passwd", pax.length, 'x', null), pax,
                header("passwd", 0, '2', longTarget.substring(0, 99))), 1 << 20);
        assertEquals(longTarget, e.linkTarget());
    }

    @Test
    void aDirectoryOrAFileOverTheLimitGivesNoContentAndSaysWhatItIs() throws IOException {
        AgentTar.Entry dir = first(tar(header("passwd/", 0, '5', null)), 1 << 20);
        assertNull(dir.content());
        assertEquals("a directory", dir.describe());
        byte[] body = new byte[2000];
        AgentTar.Entry big = first(tar(header("passwd", body.length, '0', null), body), 1000);
        assertNull(big.content());
        assertEquals("a file of 2000 bytes", big.describe());
    }

    @Test
    void anEmptyStreamHasNoEntryAndATruncatedFileIsAnError() throws IOException {
        assertNull(first(new byte[0], 100));
        assertNull(first(new byte[1024], 100));
        byte[] whole = tar(header("passwd", 600, '0', null), new byte[600]);
        byte[] cut = java.util.Arrays.copyOf(whole, 512 + 100);
        assertThrows(IOException.class, () -> first(cut, 1 << 20));
    }

    @Test
    void whatIsNotATarIsAFormatErrorAndABadPaxRecordIsIgnored() throws IOException {
        byte[] h = header("passwd", 10, '0', null);
        System.arraycopy("zz".getBytes(StandardCharsets.US_ASCII), 0, h, 124, 2);
        assertThrows(AgentTar.FormatException.class, () -> first(tar(h, new byte[10]), 100));
        byte[] pax = "3 linkpath=x\n".getBytes(StandardCharsets.UTF_8);     // a length shorter than its own digits
        AgentTar.Entry e = first(tar(header("PaxHeaders/passwd", pax.length, 'x', null), pax,
                header("passwd", 0, '2', "accounts/passwd")), 1 << 20);
        assertEquals("accounts/passwd", e.linkTarget());
    }

    @Test
    void linksResolveFromTheLinksFolderOrTheRoot() {
        assertEquals("/etc/accounts/passwd", ContainerTextFile.resolve("/etc/passwd", "accounts/passwd"));
        assertEquals("/usr/lib/passwd", ContainerTextFile.resolve("/etc/passwd", "../usr/lib/passwd"));
        assertEquals("/usr/lib/passwd", ContainerTextFile.resolve("/etc/passwd", "/usr/./lib//passwd"));
        assertEquals("/passwd", ContainerTextFile.resolve("/etc/passwd", "../../../passwd"));
    }
}
