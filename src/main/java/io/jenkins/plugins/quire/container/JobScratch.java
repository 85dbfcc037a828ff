package io.jenkins.plugins.quire.container;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Why: jobs that run at once in the one container each get a scratch directory of their own ({@code TMPDIR}), so their
 * temporary files do not meet (docs/architecture.md). At container start, before any job's first {@code sh}, one exec
 * as root makes {@code /tmp/quire} (root, 0755: the jobs cannot add or swap directories there) and
 * {@code /tmp/quire/<job>} for every job, owned by the exec user, mode 0700, empty. Job ids travel as argv, never
 * inside a shell string. An image whose {@code /tmp/quire} is a symbolic link or not a directory is refused (a link
 * could point the jobs' files anywhere); a directory the image brings is replaced by a fresh one. The same exec
 * works out the exec user's HOME (making {@code /home/quire} when the image gives none, {@link CacheHome}) and gives
 * the exec user the mount points of newly created cache volumes, and first checks that /work shows the
 * {@link WorkspaceMarker} the host wrote, so container start costs no further Docker call. It runs through the exec
 * agent when one runs ({@link RootCommands}).
 */
public final class JobScratch {
    /** The directory holding every job's scratch directory. */
    public static final String ROOT = "/tmp/quire";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");

    private static final String SCRIPT = String.join("\n",
            "u=$1 m=$2 v=$3 h=$4 na=$5 nb=$6 r=" + ROOT + " w=" + WorkDirs.ROOT,
            "shift 6",
            // the workspace marker (WorkspaceMarker): absent name = nothing to check
            "if [ -n \"$m\" ]; then",
            "  if [ ! -e \"$w/$m\" ]; then",
            "    if [ -z \"$(ls -A $w 2>/dev/null)\" ]; then echo \"$w is empty\" >&2; else echo \"$w holds other files\" >&2; fi",
            "    exit " + WorkspaceMarker.NOT_VISIBLE_EXIT,
            "  fi",
            // a file of that random name is there; unreadable only when user namespaces remap root: seen all the same.
            // read is a builtin (no newline at the end: it fails but sets x); $(cat) would fork, about 20 ms here
            "  if [ -r \"$w/$m\" ]; then",
            "    x=; IFS= read -r x < \"$w/$m\"",
            "    if [ \"$x\" != \"$v\" ]; then echo \"$w holds a file of that name with other content\" >&2; exit "
                    + WorkspaceMarker.NOT_VISIBLE_EXIT + "; fi",
            "  fi",
            "fi",
            "if [ -L $r ]; then echo \"$r is a symbolic link in the image\" >&2; exit 3; fi",
            "if [ -e $r ] && [ ! -d $r ]; then echo \"$r exists in the image and is not a directory\" >&2; exit 3; fi",
            "case $u in",
            "  *:*) o=$u ;;",
            // a user without group runs with its passwd group, or group 0 when it has no passwd entry (as docker exec)
            "  *) g=$(id -g \"$u\" 2>/dev/null) || g=0; o=$u:$g ;;",
            "esac",
            // HOME: the passwd home of the exec user when it has one other than /, else the fallback (CacheHome)
            "if [ -z \"$h\" ]; then",
            "  i=${o%%:*}",
            "  if [ -r /etc/passwd ]; then",
            "    while IFS=: read -r pn px pi pg pc pd ps; do",
            "      if [ \"$pi\" = \"$i\" ] || [ \"$pn\" = \"$i\" ]; then h=$pd; break; fi",
            "    done < /etc/passwd",
            "  fi",
            "  case $h in \"\"|/) h=" + CacheHome.FALLBACK + " ;; esac",
            "fi",
            // a home the image names but does not have (useradd without -m, /nonexistent) is made for the exec user
            "if [ \"$h\" = " + CacheHome.FALLBACK + " ] || [ ! -d \"$h\" ]; then mkdir -p \"$h\" && chown \"$o\" \"$h\" || exit 4; fi",
            // cache volumes: their mount point belongs to the exec user (at every start: a first run may have
            // ended before this, or the exec user changed); directories the engine made above a cache in HOME too
            "while [ $na -gt 0 ]; do chown \"$o\" \"$1\" || exit 4; shift; na=$((na-1)); done",
            "while [ $nb -gt 0 ]; do",
            "  if [ \"$(stat -c %u \"$1\" 2>/dev/null)\" = 0 ]; then chown \"$o\" \"$1\" || exit 4; fi",
            "  shift; nb=$((nb-1))",
            "done",
            "[ -d /tmp ] || mkdir -m 1777 /tmp || exit 4",
            "rm -rf $r && mkdir -m 0755 $r && chown 0:0 $r || exit 4",
            "for j; do mkdir -m 0700 \"$r/$j\" && chown \"$o\" \"$r/$j\" || exit 4; done",
            "printf '%s' \"$h\"",
            "");

    private JobScratch() { }

    /** The scratch directory of job {@code jobId} in the container (for its {@code TMPDIR}). */
    public static String dirOf(String jobId) {
        return ROOT + "/" + checkId(jobId);
    }

    /**
     * @return the id, when it can name a directory of its own under {@link #ROOT}
     * @throws IllegalArgumentException naming the id otherwise
     */
    static String checkId(String jobId) {
        if (jobId == null || !ID.matcher(jobId).matches() || jobId.equals(".") || jobId.equals(".."))
            throw new IllegalArgumentException("job id '" + jobId + "' cannot name a scratch directory under " + ROOT
                    + ": it must be made of letters, digits, '_', '.' and '-', and not be '.' or '..'");
        return jobId;
    }

    /**
     * Checks the workspace marker, works out HOME, owns the cache mounts and makes the scratch directories in the
     * running container, as root, in one command.
     * @param user      the exec user ("uid:gid", "uid" or a name) that will own each job's directory
     * @param home      the exec user's HOME when already known, or null to work it out from the image's passwd
     * @param chown     directories given to the exec user (new cache volumes' mount points)
     * @param chownRoot directories given to the exec user when root owns them (made by the engine above a cache)
     * @param marker    the marker /work must hold, or null for no check
     * @return the exec user's HOME
     * @throws WorkspaceNotVisibleException when /work does not hold the marker
     * @throws ContainerException naming what went wrong in the container
     * @throws EngineUnavailableException when the engine does not answer
     */
    static String prepare(RootCommands root, String user, String home, List<String> chown, List<String> chownRoot,
                          List<String> jobIds, WorkspaceMarker marker) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", SCRIPT, "quire-scratch", user,
                marker == null ? "" : marker.name(), marker == null ? "" : marker.content(), home == null ? "" : home,
                String.valueOf(chown.size()), String.valueOf(chownRoot.size())));
        argv.addAll(chown);
        argv.addAll(chownRoot);
        for (String j : jobIds) argv.add(checkId(j));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Long code = root.run("the jobs' scratch directories", argv, new ExecListener() {
            @Override public void onStdout(byte[] d, int off, int len) {
                synchronized (out) {
                    if (out.size() < 8192) out.write(d, off, Math.min(len, 8192 - out.size()));
                }
            }

            @Override public void onStderr(byte[] d, int off, int len) {
                synchronized (err) {
                    if (err.size() < 4096) err.write(d, off, Math.min(len, 4096 - err.size()));
                }
            }
        });
        if (code != null && code == 0) {
            synchronized (out) {
                String h = out.toString(StandardCharsets.UTF_8);
                return h.startsWith("/") ? h : CacheHome.FALLBACK;
            }
        }
        String why;
        synchronized (err) {
            why = err.toString(StandardCharsets.UTF_8).trim();
        }
        if (marker != null && code != null && code == WorkspaceMarker.NOT_VISIBLE_EXIT) throw marker.notVisible(why);
        throw new ContainerException("could not make the jobs' scratch directories under " + ROOT + " in the container: "
                + (why.isEmpty() ? "exit code " + code : why));
    }
}
