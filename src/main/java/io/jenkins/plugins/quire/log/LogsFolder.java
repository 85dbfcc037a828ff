package io.jenkins.plugins.quire.log;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Why: the logs folder may lie inside the workspace, which the run's container can write, so a job could plant a
 * link there and make the host write or delete files elsewhere. The runner owns this folder: it is made fresh
 * before the container starts (a previous run's {@code log.jsonl} and {@code jobs/} are removed, links are removed,
 * never followed; a link on the way to it inside the workspace must stay inside the workspace), every declared
 * job's folder is created then, and from then on files are created only relative to directory handles opened at
 * that time ({@code openat}), refusing links. A job that tampers with the folder can break its own log, never make
 * the host write or delete outside it. See docs/security.md.
 */
final class LogsFolder implements LogStore {
    private static final String FILE = "log.jsonl";
    private static final String JOBS = "jobs";
    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND,
            StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> APPEND = Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND,
            LinkOption.NOFOLLOW_LINKS);

    private final Path dir;
    private final Set<String> declared;
    private final SecureDirectoryStream<Path> dirHandle;
    private final SecureDirectoryStream<Path> jobsHandle;

    private LogsFolder(Path dir, Set<String> declared, SecureDirectoryStream<Path> dirHandle,
            SecureDirectoryStream<Path> jobsHandle) {
        this.dir = dir;
        this.declared = declared;
        this.dirHandle = dirHandle;
        this.jobsHandle = jobsHandle;
    }

    /**
     * Makes {@code dir} a fresh logs folder with a folder per id in {@code jobIds}.
     *
     * @param workspace the folder the container can write (null when none is known): links inside it on the way
     *                  to {@code dir} must lead to a folder inside it, and {@code dir} may not be the workspace
     * @throws IOException naming the path at fault
     */
    static LogsFolder prepare(Path dir, Path workspace, Collection<String> jobIds) throws IOException {
        dir = dir.toAbsolutePath().normalize();
        Set<String> ids = new LinkedHashSet<>(jobIds);
        ids.forEach(LogPaths::checkJobId);
        Path ws = workspace == null ? null : workspace.toAbsolutePath().normalize();
        if (ws != null && Files.isDirectory(ws)) {
            // compared by real path: `--workspace` and `--logs` may name the same folder through different links
            Path wsReal = ws.toRealPath();
            Path inside = asSeenFromWorkspace(dir, wsReal);
            if (inside != null) {
                dir = inside;
                ws = wsReal;
            } else if (Files.exists(dir) && wsReal.startsWith(dir.toRealPath())) {
                ws = wsReal;
                dir = dir.toRealPath();
            }
        }
        if (ws != null && ws.startsWith(dir)) {
            throw new IOException("the logs folder " + dir + " is the workspace or holds it: choose a folder of its own");
        }
        if (ws != null && dir.startsWith(ws)) {
            makeParentsInside(ws, dir.getParent());
            freshInside(dir);
        } else {
            Files.createDirectories(dir); // outside the workspace: the container cannot plant links there
            clear(dir);
        }
        Files.createDirectory(dir.resolve(JOBS));
        createJobFolders(dir, ids);
        DirectoryStream<Path> opened = Files.newDirectoryStream(dir);
        if (!(opened instanceof SecureDirectoryStream)) {
            opened.close(); // every Linux JDK has it; without it links could not be refused during the run
            throw new IOException("this platform cannot open " + dir + " safely (no SecureDirectoryStream)");
        }
        SecureDirectoryStream<Path> handle = (SecureDirectoryStream<Path>) opened;
        try {
            return new LogsFolder(dir, ids, handle, handle.newDirectoryStream(Path.of(JOBS), LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    /**
     * {@code dir} as a path inside the workspace's real path {@code wsReal}, from the first of its prefixes whose real
     * path lies in the workspace on (the rest is checked name by name, links included), or null when none does.
     */
    private static Path asSeenFromWorkspace(Path dir, Path wsReal) throws IOException {
        int n = dir.getNameCount();
        for (int i = 0; i <= n; i++) {
            Path prefix = i == 0 ? dir.getRoot() : dir.getRoot().resolve(dir.subpath(0, i));
            if (!Files.exists(prefix)) return null;
            Path real = prefix.toRealPath();
            if (real.startsWith(wsReal)) return i == n ? real : real.resolve(dir.subpath(i, n));
        }
        return null;
    }

    private static void createJobFolders(Path dir, Collection<String> ids) throws IOException {
        for (String id : ids) {
            LogPaths.checkJobId(id);
            Path p = dir.resolve(JOBS);
            for (String seg : id.split("/")) {
                p = p.resolve(seg);
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(p);
            }
        }
    }

    /**
     * Declares more jobs once the pipeline is known (the folder is opened before ci.fnl is read, so that a run that
     * never starts still logs why): their folders are created now. Call it before the container starts only.
     */
    @Override
    public void declare(Collection<String> ids) throws IOException {
        createJobFolders(dir, ids);
        declared.addAll(ids);
    }

    /** Creates the missing folders from {@code ws} down to {@code parent}; an existing link must stay inside. */
    private static void makeParentsInside(Path ws, Path parent) throws IOException {
        Path wsReal = ws.toRealPath();
        if (parent.equals(ws)) return;
        Path p = ws;
        for (Path name : ws.relativize(parent)) {
            p = p.resolve(name);
            if (Files.isSymbolicLink(p)) {
                Path real;
                try {
                    real = p.toRealPath();
                } catch (IOException e) {
                    throw new IOException(p + " is a link that leads nowhere: the logs folder cannot be made there");
                }
                if (!real.startsWith(wsReal) || !Files.isDirectory(real)) {
                    throw new IOException(p + " is a link that leads outside the workspace: the logs folder must"
                            + " stay inside it");
                }
            } else if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException(p + " is not a folder: the logs folder cannot be made there");
                }
            } else {
                Files.createDirectory(p);
            }
        }
    }

    /** The logs folder inside the workspace: a link or an empty file there is removed, a folder cleared. */
    private static void freshInside(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) Files.delete(dir);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir);
        } else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " exists and is not a folder: the logs folder cannot be made there");
        } else {
            clear(dir);
        }
    }

    /** Removes a previous run's {@code log.jsonl} and {@code jobs/} (links themselves, never what they point to). */
    private static void clear(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
        Path jobs = dir.resolve(JOBS);
        if (!Files.exists(jobs, LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(jobs, new SimpleFileVisitor<>() { // without FOLLOW_LINKS: a link is visited, not entered
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) throw e;
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public Path directory() {
        return dir;
    }

    /** Creates ({@code create}) or reopens {@code log.jsonl} in the folder opened by {@link #prepare}. */
    @Override
    public SeekableByteChannel openRunFile(boolean create) throws IOException {
        return open(dirHandle, FILE, create);
    }

    /**
     * Creates ({@code create}) or reopens {@code jobs/<id>/log.jsonl} through the handles opened by
     * {@link #prepare}: a folder on the way that is now a link is refused; a {@code log.jsonl} planted there before
     * it is created is removed first (a link is removed, not followed). An id not given to {@link #prepare} gets its
     * folder created by path (tests; a run declares every job).
     */
    @Override
    public SeekableByteChannel openJobFile(String id, boolean create) throws IOException {
        LogPaths.checkJobId(id);
        List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
        try {
            SecureDirectoryStream<Path> cur = jobsHandle;
            Path p = dir.resolve(JOBS);
            for (String seg : id.split("/")) {
                p = p.resolve(seg);
                if (!declared.contains(id) && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(p);
                cur = openDir(cur, seg, p);
                opened.add(cur);
            }
            return open(cur, FILE, create);
        } finally {
            for (SecureDirectoryStream<Path> s : opened) s.close();
        }
    }

    private static SecureDirectoryStream<Path> openDir(SecureDirectoryStream<Path> parent, String name, Path shown)
            throws IOException {
        try {
            return parent.newDirectoryStream(Path.of(name), LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new IOException(shown + " was removed during the run");
        } catch (IOException e) {
            boolean link = isLink(parent, name);
            throw new IOException(shown + (link ? " was replaced by a link during the run; links are not followed"
                    : " is not a folder: " + e.getMessage()));
        }
    }

    private static boolean isRegularFile(SecureDirectoryStream<Path> parent, String name) {
        try {
            return parent.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes().isRegularFile();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isLink(SecureDirectoryStream<Path> parent, String name) {
        try {
            return parent.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes().isSymbolicLink();
        } catch (IOException e) {
            return false;
        }
    }

    private static SeekableByteChannel open(SecureDirectoryStream<Path> in, String name, boolean create)
            throws IOException {
        if (!create) {
            // reopening after an interrupted write: a job may have swapped the file for a FIFO (opening it for
            // writing would block until a reader comes) or anything else; only our regular file is reopened
            if (isRegularFile(in, name)) return in.newByteChannel(Path.of(name), APPEND);
            in.deleteFile(Path.of(name)); // unlinked, never followed or opened
            return in.newByteChannel(Path.of(name), CREATE);
        }
        try {
            return in.newByteChannel(Path.of(name), CREATE);
        } catch (FileAlreadyExistsException e) {
            in.deleteFile(Path.of(name)); // planted by the job: unlinked (a link is removed, not followed)
            return in.newByteChannel(Path.of(name), CREATE);
        }
    }

    /**
     * Removes the folders of declared jobs that wrote nothing (skipped jobs get no folder), then closes the
     * handles. Folders that are not empty are left alone.
     */
    @Override
    public void close() throws IOException {
        try {
            for (String id : declared) removeIfEmpty(id.split("/"), 0, jobsHandle);
        } finally {
            try {
                jobsHandle.close();
            } finally {
                dirHandle.close();
            }
        }
    }

    private static void removeIfEmpty(String[] segs, int i, SecureDirectoryStream<Path> parent) {
        try {
            if (i + 1 < segs.length) {
                try (SecureDirectoryStream<Path> sub = parent.newDirectoryStream(Path.of(segs[i]),
                        LinkOption.NOFOLLOW_LINKS)) {
                    removeIfEmpty(segs, i + 1, sub);
                }
            }
            parent.deleteDirectory(Path.of(segs[i])); // unlinkat(AT_REMOVEDIR): only an empty folder, never a link
        } catch (IOException | RuntimeException e) {
            // not empty (the job wrote its log, or something else is there): kept
        }
    }
}
