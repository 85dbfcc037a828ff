package io.jenkins.plugins.quire.fennel;

/** A readable report of where two texts differ (first differing line with context), for test failures. */
final class Diff {
    private Diff() {}

    static String lines(String expected, String actual) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        int i = 0;
        while (i < a.length && i < b.length && a[i].equals(b[i])) i++;
        StringBuilder out = new StringBuilder();
        out.append("first difference at line ").append(i + 1).append(" (lua5.2 has ").append(a.length)
                .append(" lines, LuaJ ").append(b.length).append(")\n");
        for (int k = Math.max(0, i - 2); k < i; k++) out.append("  ").append(a[k]).append('\n');
        for (int k = i; k < Math.min(a.length, i + 3); k++) out.append("- ").append(a[k]).append('\n');
        for (int k = i; k < Math.min(b.length, i + 3); k++) out.append("+ ").append(b[k]).append('\n');
        return out.toString();
    }
}
