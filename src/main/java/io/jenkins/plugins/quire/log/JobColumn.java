package io.jenkins.plugins.quire.log;

/**
 * The {@code job |} column of one console line (docs/log-format.md, Console lines), handed to a {@link ConsoleSink}
 * with the rest of the line so the Jenkins console can colour it. {@code text} is the job's label padded to the
 * run's column width plus {@link JobColumns#SEPARATOR}; {@code index} is the job's place in the run's
 * {@code pipeline} event (0-based; jobs missing from it follow in the order they first appear), which a sink maps
 * onto its palette.
 */
public record JobColumn(String text, int index) {
    public JobColumn {
        if (text == null) throw new IllegalArgumentException("JobColumn: text is null");
        if (index < 0) throw new IllegalArgumentException("JobColumn: negative index " + index);
    }
}
