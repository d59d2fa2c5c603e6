package io.moescope.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and docs/*.md are what a user of the repository reads: every relative link in them must open a file of
 * the repository (and a heading, for {@code #anchor}s), and nothing may point outside it but public http(s) pages.
 * Lives in routing-events, the root of the module graph, so that a broken link fails the build early.
 */
class DocumentationLinksTest {

    /** {@code [text](target)} and {@code [text](target "title")}; images too ({@code ![alt](target)}). */
    private static final Pattern INLINE_LINK = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** Reference definitions: {@code [label]: target}. */
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern FENCED_BLOCK = Pattern.compile("(?ms)^ {0,3}(```|~~~).*?^ {0,3}\\1[^\\n]*$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?s:.+?)\\1");
    private static final Pattern HEADING = Pattern.compile("(?m)^ {0,3}#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private final Path root = repositoryRoot();

    @Test
    void everyRelativeLinkOpensAFileOfTheRepository() {
        List<String> broken = new ArrayList<>();
        for (Link link : links()) {
            if (link.isExternal() || link.path().isEmpty()) {
                continue;
            }
            Path target = link.resolvedPath();
            if (target.startsWith(root) && !Files.exists(target)) {
                broken.add(link + ": no such file " + root.relativize(target));
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void everyAnchorNamesAHeadingOfItsTargetFile() {
        List<String> broken = new ArrayList<>();
        for (Link link : links()) {
            if (link.isExternal() || link.anchor() == null) {
                continue;
            }
            Path target = link.path().isEmpty() ? link.source() : link.resolvedPath();
            if (!target.startsWith(root) || !Files.isRegularFile(target)) {
                continue; // reported by the other tests
            }
            if (!target.toString().endsWith(".md")) {
                broken.add(link + ": an anchor into a file that is not markdown");
            } else if (!headingSlugs(read(target)).contains(link.anchor())) {
                broken.add(link + ": no heading with the slug #" + link.anchor() + " in " + root.relativize(target));
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void noLinkLeavesTheRepositoryExceptHttpLinks() {
        List<String> leaving = new ArrayList<>();
        for (Link link : links()) {
            if (link.isExternal()) {
                String scheme = link.target().toLowerCase(Locale.ROOT);
                if (!scheme.startsWith("http://") && !scheme.startsWith("https://")) {
                    leaving.add(link + ": only http(s) links may leave the repository");
                }
            } else if (link.target().startsWith("/") || !link.resolvedPath().startsWith(root)) {
                leaving.add(link + ": points outside the repository");
            }
        }
        assertThat(leaving).isEmpty();
    }

    @Test
    void noDocumentCitesTheSharedFolderOutsideTheRepository() {
        List<String> citing = new ArrayList<>();
        for (Path file : documents()) {
            String[] lines = read(file).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains("../shared/") || lines[i].matches(".*\\bshared/[A-Z-]+\\.md.*")) {
                    citing.add(root.relativize(file) + ":" + (i + 1) + ": " + lines[i].strip());
                }
            }
        }
        assertThat(citing).isEmpty();
    }

    @Test
    void headingSlugsFollowGitHubRules() {
        String markdown = """
                # moescope
                ## Capture overhead (`./moescope bench`)
                ## Alerts, streaming windows, gauges
                ### MaxVio: maximal violation
                ## Alerts, streaming windows, gauges
                ```
                # not a heading
                ```
                """;

        assertThat(headingSlugs(markdown)).containsExactlyInAnyOrder("moescope", "capture-overhead-moescope-bench",
                "alerts-streaming-windows-gauges", "maxvio-maximal-violation", "alerts-streaming-windows-gauges-1");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private record Link(Path source, String target, Path root) {

        boolean isExternal() {
            return SCHEME.matcher(target).find();
        }

        String path() {
            int hash = target.indexOf('#');
            return hash < 0 ? target : target.substring(0, hash);
        }

        String anchor() {
            int hash = target.indexOf('#');
            return hash < 0 ? null : target.substring(hash + 1);
        }

        Path resolvedPath() {
            String path = path().replace("%20", " ");
            return source.getParent().resolve(path).normalize();
        }

        @Override
        public String toString() {
            return root.relativize(source) + ": (" + target + ")";
        }
    }

    private List<Link> links() {
        List<Link> links = new ArrayList<>();
        for (Path file : documents()) {
            String text = withoutCode(read(file));
            for (Pattern pattern : List.of(INLINE_LINK, REFERENCE_DEFINITION)) {
                Matcher m = pattern.matcher(text);
                while (m.find()) {
                    links.add(new Link(file, m.group(1), root));
                }
            }
        }
        assertThat(links).as("links found in README.md and docs/").isNotEmpty();
        return links;
    }

    private List<Path> documents() {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Slugs as GitHub makes them: lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats. */
    static Set<String> headingSlugs(String markdown) {
        Set<String> slugs = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        Matcher m = HEADING.matcher(FENCED_BLOCK.matcher(markdown).replaceAll(""));
        while (m.find()) {
            String text = m.group(1)
                    .replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1") // a link's text only
                    .replaceAll("[`*]", "")
                    .toLowerCase(Locale.ROOT);
            String slug = text.replaceAll("[^\\p{L}\\p{N}\\p{Mn}\\p{Pc} -]", "").replace(' ', '-');
            int repeats = seen.merge(slug, 1, Integer::sum) - 1;
            slugs.add(repeats == 0 ? slug : slug + "-" + repeats);
        }
        return slugs;
    }

    private static String withoutCode(String markdown) {
        return CODE_SPAN.matcher(FENCED_BLOCK.matcher(markdown).replaceAll("")).replaceAll("");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder holding README.md and docs/, found by walking up from the working directory (a module's). */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no folder with README.md and docs/ above " + Path.of("").toAbsolutePath());
    }
}
