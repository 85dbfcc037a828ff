package io.jenkins.plugins.quire.jenkins;

/**
 * The colours of job states in the page's pictures (graph nodes, timeline bars) and of {@code sh} outcomes, in one
 * place so both pictures and their legend agree. Written as SVG attributes (not only CSS) so a saved or screenshotted
 * picture keeps them.
 */
final class StateColours {
    /** A job that started and has no {@code job-end} yet. */
    static final String RUNNING = JobView.RUNNING;
    /** A job the pipeline declares that has not started. */
    static final String PENDING = "pending";
    /** A source such as {@code quire/push}. */
    static final String SOURCE = "source";

    private StateColours() {}

    /** The fill of a node or bar in {@code state}. */
    static String fill(String state) {
        return switch (state) {
            case "succeeded" -> "#dafbe1";
            case "failed", "unfinished" -> "#ffebe9";
            case "skipped" -> "#eaeef2";
            case "aborted" -> "#fff1e5";
            case RUNNING -> "#fff8c5";
            case SOURCE -> "#ddf4ff";
            default -> "#ffffff"; // pending, unknown
        };
    }

    /** The outline (and text) colour of a node or bar in {@code state}. */
    static String stroke(String state) {
        return switch (state) {
            case "succeeded" -> "#1a7f37";
            case "failed", "unfinished" -> "#cf222e";
            case "skipped" -> "#6e7781";
            case "aborted" -> "#bc4c00";
            case RUNNING -> "#9a6700";
            case SOURCE -> "#0969da";
            default -> "#8c959f";
        };
    }

    /** A dash pattern for states that did not (or not yet) run; null for a solid line. */
    static String dash(String state) {
        return PENDING.equals(state) || "skipped".equals(state) || "unfinished".equals(state) ? "4 3" : null;
    }

    /** The fill of an {@code sh} block on the timeline, by {@link ShSpan#getOutcome()}. */
    static String shFill(String outcome) {
        return switch (outcome) {
            case "ok" -> "#2da44e";
            case "failed" -> "#cf222e";
            case "killed" -> "#bc4c00";
            default -> "#d4a72c"; // running
        };
    }
}
