package io.jenkins.plugins.quire.container;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why: a {@code docker exec} gets an environment and a user the engine works out (the image's variables, PATH when the
 * image sets none, HOSTNAME, HOME from the image's {@code /etc/passwd}; a user name looked up there); the exec agent
 * runs exactly what it is given (docs/exec-agent.md). This works the same out once per run, so a command sees the same
 * environment in both modes. Pure: the container's configuration and files are passed in.
 */
final class AgentEnvironment {
    /** dockerd's PATH for a container whose image sets none. */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Supplementary groups the agent accepts (a user in more is left to plain docker exec). */
    static final int MAX_GROUPS = 256;

    /**
     * The numeric user the agent switches to ({@code uid:gid}, then {@code :g1,g2,...} when the user has supplementary
     * groups), and the HOME an exec of that user gets.
     */
    record Identity(String uidGid, String home) { }

    private AgentEnvironment() { }

    /**
     * Resolves an exec user as dockerd does: {@code uid[:gid]} or names looked up in the image's passwd/group files
     * (a numeric uid without a group takes the passwd entry's group, else 0, plus, as runc does, every group of the
     * image's /etc/group that lists the user's name as a member; a user given with a group gets that group only).
     * @param passwd the image's /etc/passwd, or null when it has none
     * @throws IllegalArgumentException naming the user or group that cannot be found
     */
    static Identity resolve(String user, String passwd, String group) {
        String u = user == null || user.isEmpty() ? "0" : user;
        String userPart = u.contains(":") ? u.substring(0, u.indexOf(':')) : u;
        String groupPart = u.contains(":") ? u.substring(u.indexOf(':') + 1) : null;
        String[] entry = null;
        for (String line : lines(passwd)) {
            String[] f = line.split(":", -1);
            if (f.length < 7) continue;
            if (isNumber(userPart) ? f[2].equals(userPart) : f[0].equals(userPart)) {
                entry = f;
                break;
            }
        }
        String uid;
        if (isNumber(userPart)) uid = userPart;
        else if (entry != null && isNumber(entry[2])) uid = entry[2];
        else throw new IllegalArgumentException("user '" + userPart + "' is not in the image's /etc/passwd");
        String gid;
        if (groupPart == null || groupPart.isEmpty()) {
            gid = entry != null && isNumber(entry[3]) ? entry[3] : "0";
        } else if (isNumber(groupPart)) {
            gid = groupPart;
        } else {
            gid = null;
            for (String line : lines(group)) {
                String[] f = line.split(":", -1);
                if (f.length >= 3 && f[0].equals(groupPart) && isNumber(f[2])) {
                    gid = f[2];
                    break;
                }
            }
            if (gid == null) throw new IllegalArgumentException("group '" + groupPart + "' is not in the image's /etc/group");
        }
        String home = entry != null && !entry[5].isEmpty() ? entry[5] : "/";
        boolean groupGiven = groupPart != null && !groupPart.isEmpty();
        List<String> groups = groupGiven || entry == null ? List.of() : memberships(entry[0], group);
        return new Identity(uid + ":" + gid + (groups.isEmpty() ? "" : ":" + String.join(",", groups)), home);
    }

    /** The gids of the groups whose member list names {@code user}, in file order, each once. */
    private static List<String> memberships(String user, String group) {
        Set<String> gids = new LinkedHashSet<>();
        for (String line : lines(group)) {
            String[] f = line.split(":", -1);
            if (f.length >= 4 && isNumber(f[2]) && Arrays.asList(f[3].split(",")).contains(user)) gids.add(f[2]);
        }
        if (gids.size() > MAX_GROUPS) {
            throw new IllegalArgumentException("user '" + user + "' is in more than " + MAX_GROUPS + " groups of the"
                    + " image's /etc/group");
        }
        return List.copyOf(gids);
    }

    /**
     * The environment every command starts from: PATH (when the image sets none), HOSTNAME, the image's variables,
     * then HOME when still unset.
     */
    static List<String> base(List<String> imageEnv, String hostname, String home) {
        Map<String, String> env = new LinkedHashMap<>();
        boolean hasPath = imageEnv.stream().anyMatch(e -> e.startsWith("PATH="));
        if (!hasPath) env.put("PATH", "PATH=" + DEFAULT_PATH);
        if (hostname != null && !hostname.isEmpty()) env.put("HOSTNAME", "HOSTNAME=" + hostname);
        for (String e : imageEnv) env.put(name(e), e);
        env.putIfAbsent("HOME", "HOME=" + home);
        return List.copyOf(env.values());
    }

    /** {@code base} with each of {@code extra}'s variables replacing the one of the same name, or appended. */
    static List<String> merge(List<String> base, List<String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : base) env.put(name(e), e);
        for (String e : extra) env.put(name(e), e);
        return new ArrayList<>(env.values());
    }

    private static String name(String entry) {
        int i = entry.indexOf('=');
        return i < 0 ? entry : entry.substring(0, i);
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 10) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return Long.parseLong(s) <= 0xFFFFFFFEL;
    }

    private static List<String> lines(String text) {
        return text == null ? List.of() : text.lines().toList();
    }
}
