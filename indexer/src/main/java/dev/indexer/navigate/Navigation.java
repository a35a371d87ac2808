package dev.indexer.navigate;

import dev.indexer.chunk.Symbol;
import dev.indexer.json.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the navigation lookups answer with, and the one shape each has as JSON and as text, for
 * every front end (the CLI's {@code --json} and the MCP tools' structured results are the same maps).
 */
public final class Navigation {
    private Navigation() {}

    /** Longest name or query taken: longer is no identifier anyone typed. */
    public static final int MAX_NAME_CHARS = 200;
    /** Most results one lookup returns, and the default. */
    public static final int MAX_LIMIT = 500;
    public static final int DEFAULT_LIMIT = 20;
    /** Reference lines on one page by default. */
    public static final int DEFAULT_PAGE_LINES = 50;

    /**
     * Checks how many results a lookup is asked for, naming the argument as the front end does
     * ({@code limit}, {@code -k}).
     *
     * @throws IllegalArgumentException if it is not from 1 to {@link #MAX_LIMIT}
     */
    public static void checkLimit(String name, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException(name + " must be from 1 to " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** How a definition matched a query, best first. */
    public enum Match {
        /** The query is its qualified name, or a dotted tail of it ({@code HashMap.resize}). */
        QUALIFIED,
        /** The query's last part is its name, case ignored. */
        NAME,
        /** The query's last part begins its name, or its camel humps. */
        PARTIAL
    }

    /**
     * A definition found by {@code find_symbol}.
     *
     * @param path the file, below the root
     */
    public record Found(String path, String language, Symbol symbol, Match match) {
        public Map<String, Object> fields() {
            Map<String, Object> out = symbolFields(symbol);
            out.put("path", path);
            out.put("language", language);
            out.put("match", match.name().toLowerCase(Locale.ROOT));
            return out;
        }

        /** {@code path:12-40  method java.util.HashMap.resize  final Node<K,V>[] resize()} */
        public String text() {
            return String.format(Locale.ROOT, "%s:%d-%d  %s %s%n    %s", path, symbol.startLine(), symbol.endLine(),
                    symbol.kind(), symbol.qualifiedName(), symbol.signature());
        }
    }

    /** A definition's fields, without its file. */
    static Map<String, Object> symbolFields(Symbol symbol) {
        return Json.object("name", symbol.name(), "kind", symbol.kind(), "qualifiedName", symbol.qualifiedName(),
                "containers", symbol.containers(), "startLine", symbol.startLine(), "endLine", symbol.endLine(),
                "signature", symbol.signature());
    }

    /** Definitions found, as JSON and as text. */
    public static Map<String, Object> foundFields(String query, List<Found> found) {
        return Json.object("query", query, "definitions", found.stream().map(Found::fields).toList());
    }

    public static String foundText(String query, List<Found> found) {
        if (found.isEmpty()) {
            return "No definitions match " + query + ".";
        }
        StringBuilder out = new StringBuilder();
        found.forEach(f -> out.append(f.text()).append('\n'));
        return out.toString().stripTrailing();
    }

    /** A definition of an outline with the definitions inside it. */
    public record Entry(Symbol symbol, List<Entry> children) {
        Map<String, Object> fields() {
            Map<String, Object> out = Json.object("name", symbol.name(), "kind", symbol.kind(),
                    "startLine", symbol.startLine(), "endLine", symbol.endLine(), "signature", symbol.signature());
            if (!children.isEmpty()) {
                out.put("children", children.stream().map(Entry::fields).toList());
            }
            return out;
        }

        void text(StringBuilder out, int depth) {
            out.append("  ".repeat(depth)).append(String.format(Locale.ROOT, "%d-%d %s %s: %s%n", symbol.startLine(),
                    symbol.endLine(), symbol.kind(), symbol.name(), symbol.signature()));
            children.forEach(child -> child.text(out, depth + 1));
        }
    }

    /**
     * A file's definitions, nested.
     *
     * @param reread whether the file changed since it was indexed and was parsed again for this answer
     */
    public record Outline(String path, String language, boolean reread, List<Entry> entries) {
        public Map<String, Object> fields() {
            return Json.object("path", path, "language", language, "reread", reread,
                    "definitions", entries.stream().map(Entry::fields).toList());
        }

        public String text() {
            StringBuilder out = new StringBuilder(path).append(" (").append(language)
                    .append(reread ? ", changed since it was indexed: read again" : "").append(")\n");
            if (entries.isEmpty()) {
                out.append("no definitions (not a language the parser knows, or cut into line windows)\n");
            }
            entries.forEach(e -> e.text(out, 1));
            return out.toString().stripTrailing();
        }
    }

    /**
     * One line where a name occurs as a whole identifier.
     *
     * @param line 1-based
     * @param text the line, shortened if long
     * @param enclosing the innermost definition around it, if any
     */
    public record Reference(int line, String text, Optional<Symbol> enclosing) {}

    /** A file's reference lines on one page. */
    public record FileReferences(String path, String language, List<Reference> lines) {}

    /**
     * One page of references.
     *
     * @param files how many files hold the name (all pages)
     * @param next the cursor of the next page; empty on the last
     */
    public record ReferencePage(String name, long files, List<FileReferences> byFile, Optional<String> next) {
        public int lines() {
            return byFile.stream().mapToInt(f -> f.lines().size()).sum();
        }

        public Map<String, Object> fields() {
            return Json.object("name", name, "files", files, "lines", lines(), "byFile", byFile.stream()
                    .map(f -> Json.object("path", f.path(), "language", f.language(), "lines", f.lines().stream()
                            .map(r -> Json.object("line", r.line(), "text", r.text(), "definition",
                                    r.enclosing().map(Navigation::symbolFields).orElse(null)))
                            .toList()))
                    .toList(), "next", next.orElse(null));
        }

        public String text() {
            if (byFile.isEmpty()) {
                return next.isEmpty() && files == 0 ? "No indexed file holds " + name + " as a whole identifier."
                        : "No more references to " + name + ".";
            }
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s: %d line%s on this page; %,d %s"
                    + " it%n", name, lines(), lines() == 1 ? "" : "s", files, files == 1 ? "file holds" : "files hold"));
            for (FileReferences file : byFile) {
                out.append(file.path()).append('\n');
                for (Reference r : file.lines()) {
                    out.append(String.format(Locale.ROOT, "%6d  %s%s%n", r.line(), r.text(),
                            r.enclosing().map(s -> "    [in " + s.kind() + " " + s.name() + "]").orElse("")));
                }
            }
            next.ifPresent(cursor -> out.append("More: cursor ").append(cursor).append('\n'));
            return out.toString().stripTrailing();
        }
    }
}
