package io.jenkins.plugins.quire.pipeline;

import java.util.List;

/** quire's exact validation messages plus ours (docs/language.md), kept in one place so tests can cite them. */
final class Messages {
    private Messages() {}

    static String emptyInputs(String id) {
        return "Job '" + id + "' has empty inputs. Pass [:quire/push] (or another trigger) so it has something to fire it.";
    }

    static String duplicateJob(String id) {
        return "Job '" + id + "' is registered more than once.";
    }

    static String duplicateImage() {
        return "Pipeline image declared more than once.";
    }

    static String cycle(List<String> sortedMembers) {
        return "Cycle detected among jobs: " + String.join(", ", sortedMembers);
    }

    static String unreachable(String id) {
        return "Job '" + id + "' is not reachable from any trigger (e.g. :quire/push).";
    }

    static String tooManyJobs(String id, int max) {
        return "Too many jobs: a pipeline has at most " + max + " jobs, and job " + JobIds.quoted(id) + " is number "
                + (max + 1) + ".";
    }

    static String unknownInput(String id, String input) {
        return "Job '" + id + "' lists unknown input " + JobIds.quoted(input) + ".";
    }

    static String badCache(String path, String why) {
        return "Cache " + JobIds.quoted(path) + " is not allowed: " + why + ".";
    }

    static String duplicateCache(String normalised) {
        return "Cache '" + normalised + "' is declared more than once.";
    }
}
