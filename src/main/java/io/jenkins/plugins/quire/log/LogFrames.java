package io.jenkins.plugins.quire.log;

import java.nio.charset.StandardCharsets;

/**
 * Why: the one byte format {@link StreamedLogStore} and {@link LogStreamReceiver} share, so a run's logs travel as
 * one ordered stream. A frame is {@code op (1 byte), key length (2), key (UTF-8), payload length (4), payload}; the
 * key is {@code ""} for {@code log.jsonl} and the job id for {@code jobs/<id>/log.jsonl}. A payload of
 * {@link #WRITE} is always whole JSONL lines (a {@link JsonlFile} writes nothing else), so a stream cut anywhere
 * leaves every file with whole lines only.
 */
final class LogFrames {
    /** Declares jobs: the payload is their ids, one per line. */
    static final byte DECLARE = 'D';
    /** Creates (payload {@code 1}) or reopens (payload {@code 0}) the file of the key. */
    static final byte OPEN = 'O';
    /** Appends the payload to the file of the key. */
    static final byte WRITE = 'W';
    /** Closes the file of the key. */
    static final byte CLOSE = 'C';
    /** The run's logs were closed normally: nothing follows. */
    static final byte END = 'E';

    static final int HEADER = 1 + 2;
    /** A payload is at most this big (a {@link JsonlFile} writes at most about 64 KiB at once). */
    static final int MAX_PAYLOAD = 16 * 1024 * 1024;

    private LogFrames() {}

    static byte[] frame(byte op, String key, byte[] payload, int off, int len) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[HEADER + k.length + 4 + len];
        out[0] = op;
        out[1] = (byte) (k.length >>> 8);
        out[2] = (byte) k.length;
        System.arraycopy(k, 0, out, HEADER, k.length);
        int p = HEADER + k.length;
        out[p] = (byte) (len >>> 24);
        out[p + 1] = (byte) (len >>> 16);
        out[p + 2] = (byte) (len >>> 8);
        out[p + 3] = (byte) len;
        System.arraycopy(payload, off, out, p + 4, len);
        return out;
    }
}
