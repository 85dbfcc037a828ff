package io.jenkins.plugins.quire.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of the secret values to redact, with the byte-level matcher shared by the whole-text and
 * streaming paths. Redaction covers the union of all occurrences of all values: occurrences that overlap (share a
 * byte) form one run, and each run is replaced by one marker {@code {{ name }}} named after the occurrence that
 * starts it (at one position the longest value; ties: name ascending). Occurrences that only touch keep a marker
 * each. With {@code userXpass} and {@code password-9f8e7d6c}, {@code userXpassword-9f8e7d6c} therefore becomes one
 * marker: a left-to-right replacement would have stopped after {@code userXpass} and shown {@code word-9f8e7d6c}.
 * Markers are written to the output, never scanned again, so a marker cannot be re-matched by a shorter secret.
 * No byte of any occurrence of any value survives.
 */
final class SecretSet {
    static final SecretSet EMPTY = new SecretSet(List.of());

    /** The scan cannot decide at this position until more bytes arrive. */
    private static final int NEED_MORE = -2;
    private static final int NONE = -1;

    private final byte[][] values;
    private final byte[][] markers;
    private final int[][] byFirstByte = new int[256][];
    /**
     * Bit {@code (first << 8) | second} is set when some value starts with those two bytes (a one-byte value sets
     * every second byte): the scan skips positions whose pair is not set without looking at the values at all.
     */
    private final long[] startPairs = new long[1024];
    /**
     * The skip of the scan (Horspool's, over the first {@link #minLength} bytes of every value): looking at the byte
     * {@code c} at {@code p + minLength - 1}, no value can start before {@code p + skip[c]}; 0 where {@code c} ends
     * such a prefix. For values of twenty bytes, the scan then looks at about one byte in twenty.
     */
    private final int[] skip = new int[256];
    private final int minLength;
    private final int maxLength;

    private record Entry(String name, byte[] value) {}

    /** {@code secrets}: name → values (a name may have several values if it was resolved to different ones). */
    static SecretSet of(Map<String, ? extends Set<String>> secrets) {
        List<Entry> entries = new ArrayList<>();
        for (var e : secrets.entrySet())
            for (String v : e.getValue()) entries.add(new Entry(e.getKey(), v.getBytes(StandardCharsets.UTF_8)));
        return new SecretSet(entries);
    }

    private SecretSet(List<Entry> all) {
        List<Entry> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt((Entry e) -> -e.value.length).thenComparing(e -> e.name));
        List<Entry> unique = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Entry e : sorted) {
            // The same value under two names redacts to the alphabetically first one (it sorts first).
            if (e.value.length > 0 && seen.add(new String(e.value, StandardCharsets.ISO_8859_1))) unique.add(e);
        }
        values = new byte[unique.size()][];
        markers = new byte[unique.size()][];
        int max = 0;
        List<List<Integer>> index = new ArrayList<>();
        for (int i = 0; i < 256; i++) index.add(null);
        for (int i = 0; i < unique.size(); i++) {
            Entry e = unique.get(i);
            values[i] = e.value;
            markers[i] = ("{{ " + e.name + " }}").getBytes(StandardCharsets.UTF_8);
            max = Math.max(max, e.value.length);
            int first = e.value[0] & 0xff;
            if (index.get(first) == null) index.set(first, new ArrayList<>());
            index.get(first).add(i); // stays longest first
            for (int second = 0; second < 256; second++) {
                if (e.value.length == 1 || (e.value[1] & 0xff) == second) {
                    int pair = first << 8 | second;
                    startPairs[pair >>> 6] |= 1L << pair;
                }
            }
        }
        for (int i = 0; i < 256; i++) {
            List<Integer> l = index.get(i);
            if (l != null) byFirstByte[i] = l.stream().mapToInt(Integer::intValue).toArray();
        }
        maxLength = max;
        int min = values.length == 0 ? 1 : Integer.MAX_VALUE;
        for (byte[] v : values) min = Math.min(min, v.length);
        minLength = min;
        Arrays.fill(skip, min);
        for (byte[] v : values) {
            for (int j = 0; j < min; j++) skip[v[j] & 0xff] = Math.min(skip[v[j] & 0xff], min - 1 - j);
        }
    }

    boolean isEmpty() {
        return values.length == 0;
    }

    int maxLength() {
        return maxLength;
    }

    /**
     * Redacts {@code b[from, end)} into {@code out}. When {@code endOfInput} is false the scan stops at the first
     * position where a value might start but is not complete yet, and returns that position: the caller keeps
     * {@code b[returned, end)} for the next call (the shortest suffix that could still be the start of a secret).
     * When {@code endOfInput} is true everything is consumed and {@code end} is returned.
     */
    int scan(byte[] b, int from, int end, boolean endOfInput, ByteBuf out) {
        return scan(b, from, end, endOfInput, out, new Run());
    }

    /**
     * The run being replaced when a streamed scan stopped: its marker is already written, and its remaining
     * {@code bytes} (counted from where the scan stopped) are swallowed by the next call.
     */
    static final class Run {
        int bytes;
    }

    /** {@link #scan(byte[], int, int, boolean, ByteBuf)} continuing (and updating) the run of an earlier call. */
    int scan(byte[] b, int from, int end, boolean endOfInput, ByteBuf out, Run run) {
        int p = from;
        int runEnd = run.bytes > 0 ? from + run.bytes : -1; // inside a run while p < runEnd; its marker is written
        int copyFrom = from;
        run.bytes = 0;
        long[] pairs = startPairs;
        int[] skips = skip;
        int last = minLength - 1;
        while (p < end) {
            // skip the positions where no value starts: by the byte that would end the shortest value's prefix
            // (whole strides), then by the pair of bytes at the position (the last byte is checked)
            while (p + 1 < end) {
                if (p + last < end) {
                    int s = skips[b[p + last] & 0xff];
                    if (s > 0) {
                        p += s;
                        continue;
                    }
                }
                int pair = (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
                if ((pairs[pair >>> 6] & 1L << pair) != 0) break;
                p++;
            }
            if (p >= end) break;
            if (runEnd >= 0 && p >= runEnd) {
                copyFrom = runEnd;
                runEnd = -1;
            }
            int[] candidates = byFirstByte[b[p] & 0xff];
            int m = candidates == null ? NONE : match(candidates, b, p, end, endOfInput);
            if (m == NEED_MORE) {
                if (runEnd < 0) out.append(b, copyFrom, p - copyFrom);
                else run.bytes = runEnd - p;
                return p;
            }
            if (m >= 0) {
                if (runEnd < 0) {
                    out.append(b, copyFrom, p - copyFrom);
                    out.append(markers[m]);
                    runEnd = p + values[m].length;
                } else {
                    runEnd = Math.max(runEnd, p + values[m].length); // overlaps the run: extends it
                }
            }
            p++;
        }
        if (runEnd >= 0 && end >= runEnd) { // the run ended before the skip reached the end
            copyFrom = runEnd;
            runEnd = -1;
        }
        if (runEnd < 0) out.append(b, copyFrom, end - copyFrom);
        return end;
    }

    private int match(int[] candidates, byte[] b, int p, int end, boolean endOfInput) {
        int available = end - p;
        for (int idx : candidates) {
            byte[] v = values[idx];
            if (v.length <= available) {
                if (Arrays.equals(b, p, p + v.length, v, 0, v.length)) return idx;
            } else if (!endOfInput && Arrays.equals(b, p, end, v, 0, available)) {
                return NEED_MORE; // a longer value may be arriving: wait before deciding, even if a shorter one matches
            }
        }
        return NONE;
    }
}
