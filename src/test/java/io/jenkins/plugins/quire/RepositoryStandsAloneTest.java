package io.jenkins.plugins.quire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository must stand alone (issue 7 item 24): comments and documents cite the project's own {@code docs/},
 * never the design contract or platform notes a team was handed outside the repository. Scans {@code src/},
 * {@code scripts/}, {@code docs/}, {@code .ci/}, {@code pom.xml} and {@code README.md}. The patterns below are
 * written so that this file does not match them itself.
 */
class RepositoryStandsAloneTest {
    private static final Path ROOT = Path.of(System.getProperty("quire.project.dir", ".")).toAbsolutePath().normalize();
    private static final List<String> SCANNED = List.of("src", "scripts", "docs", ".ci", "pom.xml", "README.md");
    private static final Set<String> BINARY = Set.of("png", "jpg", "jpeg", "gif", "ico", "jar", "war", "hpi", "class");

    /** References to files outside the repository, as they were written before the repository had its own docs. */
    private static final List<Pattern> OUTSIDE = List.of(
            Pattern.compile("DESIGN(\\.md)?[\\s*]*§"),         // the contract's sections, also cut by a line break
            Pattern.compile("DESIGN\\.md"),
            Pattern.compile("\\bshared[/]"),
            Pattern.compile("\\breference[/]"),
            Pattern.compile("[\\w-]*-platform\\.md"),
            Pattern.compile("console-annotation\\.md"),
            Pattern.compile("quire-ci[-]spec"),
            Pattern.compile("\\bspec\\s+§"));

    /** A cited Markdown file: {@code docs/security.md}, {@code README.md}, {@code language.md} (inside docs/). */
    private static final Pattern MARKDOWN = Pattern.compile("(?<![\\w./-])((?:[\\w.-]+/)*[\\w-][\\w.-]*\\.md)\\b");
    private static final Pattern DOCS_CITATION = Pattern.compile("\\bdocs/[\\w.-]+\\.md\\b");

    @Test
    void nothingCitesFilesOutsideTheRepository() throws IOException {
        List<Path> files = scannedFiles();
        assertTrue(files.size() > 100, "too few files scanned under " + ROOT + ": " + files.size());
        List<String> found = new ArrayList<>();
        for (Path f : files) {
            String text = read(f);
            for (Pattern p : OUTSIDE) {
                Matcher m = p.matcher(text);
                while (m.find()) found.add(where(f, text, m.start()) + ": " + m.group().replaceAll("\\s+", " "));
            }
        }
        assertEquals(List.of(), found, "cite docs/architecture.md, docs/language.md, docs/log-format.md or"
                + " docs/security.md (or state the fact) instead of notes that live outside the repository");
    }

    @Test
    void everyCitedMarkdownFileExists() throws IOException {
        List<String> missing = new ArrayList<>();
        int docsCitationsInCode = 0;
        for (Path f : scannedFiles()) {
            String text = read(f);
            Matcher m = MARKDOWN.matcher(text);
            while (m.find()) {
                if (!resolves(f, m.group(1))) missing.add(where(f, text, m.start()) + ": " + m.group(1));
            }
            if (f.startsWith(ROOT.resolve("src"))) {
                Matcher d = DOCS_CITATION.matcher(text);
                while (d.find()) docsCitationsInCode++;
            }
        }
        assertEquals(List.of(), missing, "Markdown files cited but not in the repository");
        assertTrue(docsCitationsInCode > 0, "no docs/*.md citation found under src/: the check above saw nothing");
    }

    @Test
    void theFourDocumentsExist() throws IOException {
        for (String name : List.of("architecture.md", "language.md", "log-format.md", "security.md")) {
            Path doc = ROOT.resolve("docs").resolve(name);
            assertTrue(Files.isRegularFile(doc) && Files.size(doc) > 1000, "missing or empty: " + doc);
        }
    }

    /** A cited name resolves against the citing file's folder, the repository root or docs/. */
    private static boolean resolves(Path citing, String name) {
        for (Path base : List.of(citing.getParent(), ROOT, ROOT.resolve("docs"))) {
            Path p = base.resolve(name).normalize();
            if (p.startsWith(ROOT) && Files.isRegularFile(p)) return true;
        }
        return false;
    }

    private static List<Path> scannedFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String s : SCANNED) {
            Path p = ROOT.resolve(s);
            if (Files.isRegularFile(p)) {
                out.add(p);
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(f -> !BINARY.contains(extension(f))).sorted()
                            .forEach(out::add);
                }
            }
        }
        return out;
    }

    private static String extension(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase();
    }

    private static String read(Path f) throws IOException {
        return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    }

    /** {@code path:line} of offset {@code at} in {@code text}. */
    private static String where(Path f, String text, int at) {
        int line = 1;
        for (int i = 0; i < at; i++) if (text.charAt(i) == '\n') line++;
        return ROOT.relativize(f) + ":" + line;
    }
}
