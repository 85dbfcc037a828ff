package io.jenkins.plugins.quire.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides the {@code job |} column of a run's console, like {@code docker compose}: every job's label is padded to
 * the longest label of the run, capped at {@value #MAX_WIDTH} characters. A longer id is cut to its first
 * {@value #HEAD} characters, {@code …} and its last {@value #TAIL} (ids often differ at the end:
 * {@code integration-tests-pg-14}/{@code -15}). When two cut ids still give the same label, each of them becomes its
 * first characters, {@code …~} and a number unique in the run; ids never contain {@code …} or {@code ~}, so a cut
 * label can never equal an id or another label. Labels are decided once, from the job list of the run's
 * {@code pipeline} event; without one (old logs, tests) a job's column is just its own label.
 */
public final class JobColumns {
    /** Widest label. */
    public static final int MAX_WIDTH = 24;
    /** Between the label and the line. */
    public static final String SEPARATOR = " | ";
    static final int HEAD = 15;
    static final int TAIL = MAX_WIDTH - HEAD - 1;
    static final char CUT = '\u2026';

    private final Map<String, JobColumn> known = new HashMap<>();
    private final int width;
    private int next;

    private JobColumns(List<String> ids) {
        Map<String, String> labels = labels(ids);
        int w = 0;
        for (String l : labels.values()) w = Math.max(w, l.length());
        this.width = w;
        for (String id : ids) {
            if (!known.containsKey(id)) known.put(id, new JobColumn(pad(labels.get(id), w) + SEPARATOR, next++));
        }
    }

    /** The columns of a run whose jobs, in registration order, are {@code ids}. */
    public static JobColumns of(List<String> ids) {
        return new JobColumns(List.copyOf(ids));
    }

    /** The columns when the run's job list is unknown: each job's column is as wide as its own label. */
    public static JobColumns none() {
        return new JobColumns(List.of());
    }

    /** The width of the labels (0 without a job list). */
    public int width() {
        return width;
    }

    /** The column of job {@code id}; a job missing from the list gets its own label and the next index. */
    public JobColumn of(String id) {
        JobColumn c = known.get(id);
        if (c == null) {
            c = new JobColumn(pad(cut(id), width) + SEPARATOR, next++);
            known.put(id, c);
        }
        return c;
    }

    /** {@code id} itself when it fits, else its head, {@code …} and its tail. */
    static String cut(String id) {
        if (id.length() <= MAX_WIDTH) return id;
        return id.substring(0, HEAD) + CUT + id.substring(id.length() - TAIL);
    }

    private static Map<String, String> labels(List<String> ids) {
        Map<String, List<String>> byLabel = new LinkedHashMap<>();
        for (String id : ids) byLabel.computeIfAbsent(cut(id), k -> new ArrayList<>()).add(id);
        Map<String, String> labels = new HashMap<>();
        int n = 0;
        for (Map.Entry<String, List<String>> e : byLabel.entrySet()) {
            List<String> same = e.getValue().stream().distinct().toList();
            if (same.size() == 1) {
                labels.put(same.get(0), e.getKey());
                continue;
            }
            for (String id : same) { // cut ids that still look alike: numbered across the run
                String suffix = CUT + "~" + (++n);
                labels.put(id, id.substring(0, MAX_WIDTH - suffix.length()) + suffix);
            }
        }
        return labels;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
