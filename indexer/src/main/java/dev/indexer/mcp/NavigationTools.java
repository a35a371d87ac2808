package dev.indexer.mcp;

import static dev.indexer.mcp.CodeTools.INTEGER;
import static dev.indexer.mcp.CodeTools.STRING;
import static dev.indexer.mcp.CodeTools.object;
import static dev.indexer.mcp.CodeTools.property;
import static dev.indexer.mcp.CodeTools.schema;
import static dev.indexer.mcp.CodeTools.tool;

import dev.indexer.chunk.Symbol;
import dev.indexer.mcp.CodeTools.Answer;
import dev.indexer.navigate.Navigation;
import dev.indexer.navigate.NavigationReader;
import dev.indexer.store.PathGlob;
import dev.indexer.text.Echo;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The navigation tools: {@code find_symbol} (where a name is defined), {@code file_outline} (what a
 * file defines) and {@code find_references} (every line that uses a name), answered from the
 * collection's navigation index with the shapes {@link Navigation} gives every front end.
 */
final class NavigationTools {
    private final Supplier<NavigationReader> navigation;

    NavigationTools(Supplier<NavigationReader> navigation) {
        this.navigation = navigation;
    }

    List<SyncToolSpecification> specifications() {
        Map<String, Object> found = object(Map.of("query", STRING, "definitions", Map.of("type", "array", "items",
                object(Map.of("path", STRING, "language", STRING, "match", STRING, "name", STRING, "kind", STRING,
                                "qualifiedName", STRING, "startLine", INTEGER, "endLine", INTEGER, "signature", STRING),
                        List.of("path", "name", "kind", "startLine", "endLine")))), List.of("definitions"));
        Map<String, Object> outline = object(Map.of("path", STRING, "language", STRING,
                "reread", Map.of("type", "boolean"), "definitions", Map.of("type", "array", "items", Map.of("type",
                        "object"))), List.of("path", "definitions"));
        Map<String, Object> references = object(Map.of("name", STRING, "files", INTEGER, "lines", INTEGER,
                "byFile", Map.of("type", "array", "items", object(Map.of("path", STRING, "language", STRING,
                        "lines", Map.of("type", "array", "items", object(Map.of("line", INTEGER, "text", STRING,
                                "definition", Map.of("type", List.of("object", "null"))), List.of("line", "text")))),
                        List.of("path", "lines"))),
                "next", Map.of("type", List.of("string", "null"))), List.of("name", "files", "byFile"));
        return List.of(
                tool("find_symbol", "Find where a class, interface, function, method, field or constant is defined,"
                                + " by name: simple (resize), qualified (HashMap.resize, java.util.HashMap#resize,"
                                + " pkg.module.func, Type::method), a prefix or camel humps (HM.res), case ignored."
                                + " Exact qualified matches first, then exact names, then the rest.",
                        schema(Map.of("query", property("string", "The name to look up."),
                                "kind", Map.of("type", "string", "enum", Symbol.KINDS, "description",
                                        "Only definitions of this kind."),
                                "language", property("string", "Only this language (java, python, go...)."),
                                "path", property("string", "Only files whose path matches this glob, e.g. src/**."),
                                "limit", Map.of("type", "integer", "minimum", 1, "maximum", Navigation.MAX_LIMIT,
                                        "default", Navigation.DEFAULT_LIMIT, "description", "How many at most.")),
                                List.of("query")),
                        found, true, this::find),
                tool("file_outline", "List a file's definitions, nested (classes with their methods and fields),"
                                + " with line spans and signatures: what is in a file without reading all of it.",
                        schema(Map.of("path", property("string", "The file's path relative to the indexed root.")),
                                List.of("path")),
                        outline, true, this::outline),
                tool("find_references", "Find every line where a name occurs as a whole identifier (case sensitive),"
                                + " grouped by file, each with the definition it is in: callers, uses, overrides."
                                + " Complete; long answers come in pages (pass 'next' back as cursor).",
                        schema(Map.of("name", property("string", "One identifier, e.g. checkIndex."),
                                "path", property("string", "Only files whose path matches this glob."),
                                "cursor", property("string", "The 'next' of the previous page; absent for the first."),
                                "limit", Map.of("type", "integer", "minimum", 1, "maximum", Navigation.MAX_LIMIT,
                                        "default", Navigation.DEFAULT_PAGE_LINES, "description",
                                        "How many lines on a page at most.")),
                                List.of("name")),
                        references, true, this::references));
    }

    private Answer find(Map<String, Object> arguments) {
        ToolArguments args = new ToolArguments(arguments, List.of("query", "kind", "language", "path", "limit"));
        String query = args.string("query").orElseThrow(() -> new IllegalArgumentException(
                "query is required: a name such as resize or HashMap.resize"));
        NavigationReader.checkQuery(query);
        List<Navigation.Found> found = navigation.get().find(query, args.string("kind"), args.string("language"),
                glob(args), args.integer("limit", 1, Navigation.MAX_LIMIT).orElse(Navigation.DEFAULT_LIMIT));
        return new Answer(Navigation.foundFields(query.strip(), found),
                Navigation.foundText(Echo.of(query.strip()), found));
    }

    private Answer outline(Map<String, Object> arguments) {
        ToolArguments args = new ToolArguments(arguments, List.of("path"));
        String path = args.string("path").orElseThrow(() -> new IllegalArgumentException(
                "path is required: a file's path relative to the indexed root"));
        Navigation.Outline outline = navigation.get().outline(path);
        return new Answer(outline.fields(), outline.text());
    }

    private Answer references(Map<String, Object> arguments) {
        ToolArguments args = new ToolArguments(arguments, List.of("name", "path", "cursor", "limit"));
        String name = args.string("name").orElseThrow(() -> new IllegalArgumentException(
                "name is required: one identifier, such as checkIndex"));
        Navigation.ReferencePage page = navigation.get().references(name, glob(args), args.string("cursor"),
                args.integer("limit", 1, Navigation.MAX_LIMIT).orElse(Navigation.DEFAULT_PAGE_LINES));
        return new Answer(page.fields(), page.text());
    }

    private static Optional<PathGlob> glob(ToolArguments args) {
        return args.string("path").map(PathGlob::of);
    }
}
