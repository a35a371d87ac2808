package dev.indexer.mcp;

import dev.indexer.IndexerException;
import dev.indexer.config.ByteSize;
import dev.indexer.config.Defaults;
import dev.indexer.config.RepoName;
import dev.indexer.config.ResidentMemory;
import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.SearchPages;
import dev.indexer.engine.SearchQuery;
import dev.indexer.json.Json;
import dev.indexer.live.LiveIndex;
import dev.indexer.store.RepoScope;
import dev.indexer.store.SearchHit;
import dev.indexer.text.Echo;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tools a live index offers over MCP: {@code search_code}, {@code read_code},
 * {@code index_status} and {@code reindex}, and the {@link NavigationTools}. Their names and arguments are the contract with
 * clients. Every result carries {@code structuredContent} and a text rendering of it; a call with
 * bad arguments gets a result marked as an error whose text says what is wrong, and the server
 * goes on serving.
 */
final class CodeTools {
    /** The most hits a client may ask for: each hit's text goes into the assistant's context. */
    static final int MAX_LIMIT = 50;
    /** How search_code names what it checks. */
    private static final SearchQuery.Names NAMES = new SearchQuery.Names("query", "limit", MAX_LIMIT);
    /** The most paths one reindex call may name. */
    static final int MAX_REINDEX_PATHS = 1000;

    static final Map<String, Object> STRING = Map.of("type", "string");
    static final Map<String, Object> INTEGER = Map.of("type", "integer");
    private static final Map<String, Object> OPTIONAL_STRING = Map.of("type", List.of("string", "null"));

    /** One search hit as {@link CollectionReader.Results#fields} makes it. */
    private static final Map<String, Object> HIT = object(Map.ofEntries(Map.entry("repo", STRING),
                    Map.entry("path", STRING),
                    Map.entry("file", STRING), Map.entry("startLine", INTEGER), Map.entry("endLine", INTEGER),
                    Map.entry("score", Map.of("type", "number")), Map.entry("language", STRING),
                    Map.entry("symbol", STRING), Map.entry("kind", STRING), Map.entry("container", STRING),
                    Map.entry("text", STRING), Map.entry("embeddedNow", Map.of("type", "boolean")),
                    Map.entry("stale", Map.of("type", "string", "enum", List.of(CollectionReader.Results.CHANGED,
                            CollectionReader.Results.DELETED))),
                    Map.entry("copies", Map.of("type", "array", "items", object(Map.of("repo", STRING, "path", STRING,
                            "startLine", INTEGER, "endLine", INTEGER), List.of("repo", "path", "startLine", "endLine"))))),
            List.of("repo", "path", "file", "startLine", "endLine", "score", "language", "symbol", "kind", "container",
                    "text"));

    /** What index_status answers. */
    private static final Map<String, Object> STATUS = object(Map.ofEntries(
                    Map.entry("state", Map.of("type", "string", "enum", List.of("indexing", "watching", "error"))),
                    Map.entry("root", STRING), Map.entry("filesIndexed", INTEGER), Map.entry("filesPending", INTEGER),
                    Map.entry("changesQueued", INTEGER), Map.entry("chunks", INTEGER),
                    Map.entry("chunksEmbedded", INTEGER), Map.entry("chunksWordsOnly", INTEGER),
                    Map.entry("lastUpdate", OPTIONAL_STRING),
                    Map.entry("lastError", OPTIONAL_STRING), Map.entry("watching", STRING), Map.entry("repo", STRING),
                    Map.entry("memory", object(Map.of("rssAnonBytes", INTEGER, "rssFileBytes", INTEGER,
                            "peakRssBytes", INTEGER), List.of("rssAnonBytes", "rssFileBytes", "peakRssBytes"))),
                    Map.entry("run", object(Map.of("phase", Map.of("type", "string",
                                    "enum", List.of("lexical", "embedding", "done")), "filesIndexed", INTEGER,
                                    "chunksEmbedded", INTEGER, "seconds", Map.of("type", "number")),
                            List.of("phase", "filesIndexed", "chunksEmbedded", "seconds")))),
            List.of("state", "root", "filesIndexed", "filesPending", "changesQueued", "chunks", "chunksEmbedded",
                    "lastUpdate", "lastError", "watching"));

    private final LiveIndex index;
    private final SourceLines sources;
    private final OtherRepos others;

    CodeTools(LiveIndex index, SourceLines sources, OtherRepos others) {
        this.index = index;
        this.sources = sources;
        this.others = others;
    }

    /** The tools, ready to register with an MCP server: these four and the navigation tools. */
    public List<SyncToolSpecification> specifications() {
        List<SyncToolSpecification> all = new ArrayList<>(List.of(
                tool("search_code", "Search the indexed codebase by meaning and by words. Returns the best matching"
                                + " code with its file, line span and text: a hit inside a function or method is"
                                + " that definition, named (symbol, kind, container) with its own lines; the same"
                                + " text elsewhere (an identical or vendored file) is listed under the hit as its"
                                + " copies rather than repeated.",
                        schema(Map.of("query", property("string", "What to look for: plain words (\"where are invoices"
                                        + " settled\") or code (an identifier, a signature, an error message)."),
                                "limit", Map.of("type", "integer", "minimum", 1, "maximum", MAX_LIMIT,
                                        "default", Defaults.SEARCH_HITS, "description", "How many hits at most."),
                                "mode", Map.of("type", "string", "enum", List.of("hybrid", "vector", "lexical"),
                                        "default", "hybrid", "description",
                                        "hybrid: meaning and words together (best in general); vector: meaning"
                                                + " only; lexical: words only (exact identifiers)."),
                                "language", property("string", "Only chunks of this language (java, python,"
                                        + " javascript, typescript, go, rust, c, cpp, markdown...)."),
                                "path", property("string", "Only files whose path (relative to the indexed"
                                        + " root) matches this glob, e.g. src/**/*.java."),
                                "cursor", property("string", "The 'next' of the previous page, to continue the same"
                                        + " ranking (same query and arguments); absent for the first page."),
                                "repo", Map.of("type", List.of("string", "array"), "items", STRING, "description",
                                        "Which repositories of the collection to search: a name, a list of names, or"
                                                + " \"*\" for all of them. Absent: the repository this server indexes"
                                                + " (each hit says its repo).")),
                                List.of("query")),
                        object(Map.of("hits", Map.of("type", "array", "items", HIT),
                                        "next", Map.of("type", "string", "description", "The cursor of the next page;"
                                                + " absent on the last."),
                                        "notes", Map.of("type", "array", "items", STRING),
                                        "embeddedNow", object(Map.of("chunks", INTEGER, "hits", INTEGER),
                                                List.of("chunks", "hits"))),
                                List.of("hits")),
                        true, this::search),
                tool("read_code", "Read lines of a file of the indexed codebase (at most " + SourceLines.MAX_LINES
                                + " lines and " + SourceLines.MAX_CHARS / 1024 + " KB per call), e.g. to see more"
                                + " around a search hit.",
                        schema(Map.of("path", property("string", "The file's path relative to the indexed root, as"
                                        + " search_code returns it."),
                                "startLine", Map.of("type", "integer", "minimum", 1, "description",
                                        "The first line, counting from 1."),
                                "endLine", Map.of("type", "integer", "minimum", 1, "description",
                                        "The last line (inclusive).")),
                                List.of("path", "startLine", "endLine")),
                        object(Map.of("path", STRING, "startLine", INTEGER, "endLine", INTEGER, "totalLines", INTEGER,
                                        "truncated", Map.of("type", "boolean"), "text", STRING),
                                List.of("path", "startLine", "endLine", "totalLines", "truncated", "text")),
                        true, this::read),
                tool("index_status", "How up to date the index is: indexing or watching, files and chunks indexed,"
                                + " chunks still waiting for their vectors, the last update and the last error.",
                        schema(Map.of(), List.of()), STATUS, true, this::status),
                tool("reindex", "Index changes now instead of waiting for the file watcher: the whole tree, or only"
                                + " the given paths. Returns at once; index_status shows progress.",
                        schema(Map.of("paths", Map.of("type", "array", "items", Map.of("type", "string"),
                                        "description", "Files or directories relative to the indexed root; all of"
                                                + " the tree when absent or empty.")),
                                List.of()),
                        object(Map.of("queued", Map.of("type", "array", "items", STRING)), List.of("queued")),
                        false, this::reindex)));
        all.addAll(new NavigationTools(index::navigation).specifications());
        return all;
    }

    /**
     * A result's schema (its {@code outputSchema}): clients may check every structured result
     * against it. Open to new properties, so that adding one later breaks no client.
     */
    static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
        return Json.object("type", "object", "properties", properties, "required", required);
    }

    static Map<String, Object> property(String type, String description) {
        return Map.of("type", type, "description", description);
    }

    static Map<String, Object> schema(Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = Json.object("type", "object", "properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    static SyncToolSpecification tool(String name, String description, Map<String, Object> input,
            Map<String, Object> output, boolean readOnly, Function<Map<String, Object>, Answer> handler) {
        Tool tool = Tool.builder().name(name).description(description).inputSchema(input).outputSchema(output)
                .annotations(new ToolAnnotations(null, readOnly, false, readOnly, false, null)).build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> call(request, handler))
                .build();
    }

    /** A tool's answer: the structured result, and its text for people and models that read text. */
    record Answer(Map<String, Object> structured, String text) {}

    private static CallToolResult call(CallToolRequest request, Function<Map<String, Object>, Answer> handler) {
        Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
        try {
            Answer answer = handler.apply(arguments);
            return CallToolResult.builder().structuredContent(answer.structured()).addTextContent(answer.text())
                    .isError(false).build();
        } catch (IllegalArgumentException | IndexerException e) {
            return error(e.getMessage());
        }
    }

    private static CallToolResult error(String raw) {
        // Messages name what the client sent; the parts that echo it are cut already, this is the backstop.
        String message = Echo.of(raw, 4 * Echo.MAX_CHARS);
        // No structured content: clients check it against the tool's output schema, which an error is not.
        return CallToolResult.builder().addTextContent("Error: " + message).isError(true).build();
    }

    private Answer search(Map<String, Object> arguments) {
        ToolArguments args = new ToolArguments(arguments, List.of("query", "limit", "mode", "language", "path",
                "cursor", "repo"));
        SearchQuery query = SearchQuery.parse(NAMES, args.string("query").orElse(null),
                args.integer("limit", 1, MAX_LIMIT), args.string("mode"), args.string("language"), args.string("path"));
        Optional<RepoScope> scope = scope(args.strings("repo"));
        Function<SearchQuery, CollectionReader.Results> searcher = scope.isEmpty() ? index::search
                : q -> others.search(scope.get(), q);
        SearchPages.Page page = SearchPages.page(searcher, query, args.string("cursor"));
        CollectionReader.Results results = page.results();
        StringBuilder rendered = new StringBuilder();
        int rank = 0;
        for (SearchHit hit : results.hits()) {
            rank++;
            rendered.append(String.format(Locale.ROOT, "%d. %s%s:%d-%d%s (score %.3f)%n", rank,
                    scope.isEmpty() ? "" : "[" + hit.repo() + "] ", hit.path(),
                    hit.startLine(), hit.endLine(), hit.symbol().isEmpty() ? "" : " " + describe(hit), hit.score()));
            String stale = results.stale().getOrDefault(hit.id(), "");
            if (!stale.isEmpty()) {
                rendered.append(stale.equals(CollectionReader.Results.CHANGED)
                        ? "   (the file changed since it was indexed: these lines may have moved)\n"
                        : "   (the file was deleted since it was indexed: this is what it held)\n");
            }
            if (!hit.copies().isEmpty()) {
                rendered.append("   ").append(hit.copiesLine(scope.isPresent())).append('\n');
            }
            rendered.append(indent(hit.text())).append('\n');
        }
        Map<String, Object> structured = results.answerFields(scope.isEmpty() ? index.root().toString() : "");
        page.next().ifPresent(next -> structured.put("next", next));
        results.notes().forEach(note -> rendered.append("Note: ").append(note).append('\n'));
        page.next().ifPresent(next -> rendered.append("More: pass cursor ").append(next).append(" for the next page\n"));
        if (results.hits().isEmpty()) {
            rendered.insert(0, "No matches for: " + Echo.of(query.text()) + "\n");
        }
        return new Answer(structured, rendered.toString().stripTrailing());
    }

    /**
     * The repositories {@code repo} names; empty for the served one alone (the live index answers).
     *
     * @throws IllegalArgumentException for a name no repository can have, or "*" among others
     */
    private Optional<RepoScope> scope(List<String> repos) {
        if (repos.isEmpty() || repos.equals(List.of(others.served()))) {
            return Optional.empty();
        }
        if (repos.contains("*")) {
            if (repos.size() > 1) {
                throw new IllegalArgumentException("repo: \"*\" means every repository; give it alone, not in a list");
            }
            return Optional.of(RepoScope.ALL);
        }
        if (repos.size() > 100) {
            throw new IllegalArgumentException("repo: at most 100 repositories, or \"*\" for all; " + repos.size()
                    + " were given");
        }
        for (String repo : repos) {
            try {
                new RepoName(repo);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("repo: " + Echo.of(e.getMessage()));
            }
        }
        return Optional.of(new RepoScope(repos.stream().distinct().toList()));
    }

    private static String describe(SearchHit hit) {
        String name = hit.container().isEmpty() ? hit.symbol() : hit.container() + "." + hit.symbol();
        return hit.kind().isEmpty() ? name : hit.kind() + " " + name;
    }

    private static String indent(String text) {
        return Arrays.stream(text.split("\n", -1)).map(line -> "    " + line).collect(Collectors.joining("\n"))
                .stripTrailing();
    }

    private Answer read(Map<String, Object> arguments) {
        ToolArguments args = new ToolArguments(arguments, List.of("path", "startLine", "endLine"));
        String path = args.string("path").orElseThrow(() -> new IllegalArgumentException(
                "path is required: a file's path relative to the indexed root"));
        int start = args.integer("startLine", 1, Integer.MAX_VALUE).orElseThrow(() -> new IllegalArgumentException(
                "startLine is required (the first line, from 1)"));
        int end = args.integerFrom("endLine", 1).orElseThrow(() -> new IllegalArgumentException(
                "endLine is required (the last line, inclusive)"));
        SourceLines.Excerpt excerpt = sources.read(path, start, end);
        Map<String, Object> structured = Json.object("path", excerpt.path(), "startLine", excerpt.start(),
                "endLine", excerpt.end(), "totalLines", excerpt.totalLines(), "truncated", excerpt.truncated(),
                "text", String.join("\n", excerpt.lines()));
        StringBuilder rendered = new StringBuilder();
        rendered.append(excerpt.path()).append(':').append(excerpt.start()).append('-').append(excerpt.end())
                .append(" (of ").append(excerpt.totalLines()).append(" lines)\n");
        int number = excerpt.start();
        for (String line : excerpt.lines()) {
            rendered.append(String.format(Locale.ROOT, "%6d  %s%n", number++, line));
        }
        if (excerpt.truncated()) {
            rendered.append(excerpt.end() - excerpt.start() + 1 == SourceLines.MAX_LINES
                    ? "(cut at " + SourceLines.MAX_LINES + " lines; ask for line "
                    : "(cut at " + SourceLines.MAX_CHARS / 1024 + " KB; ask for line ")
                    .append(excerpt.end() + 1).append(" on for more)\n");
        }
        return new Answer(structured, rendered.toString().stripTrailing());
    }

    private Answer status(Map<String, Object> arguments) {
        new ToolArguments(arguments, List.of());
        LiveIndex.Status status = index.status();
        Map<String, Object> structured = Json.object("state", status.state().name().toLowerCase(Locale.ROOT),
                "root", index.root().toString(), "filesIndexed", status.filesIndexed(),
                "filesPending", status.filesWaitingForVectors(), "changesQueued", status.changesQueued(),
                "chunks", status.chunks(), "chunksEmbedded", status.chunksEmbedded(),
                "chunksWordsOnly", status.chunksWordsOnly(), "lastUpdate", status.lastUpdate().map(Object::toString).orElse(null),
                "lastError", status.lastError().orElse(null), "watching", status.watching(),
                "repo", others.served());
        Optional<ResidentMemory> memory = ResidentMemory.ofThisProcess();
        memory.ifPresent(m -> structured.put("memory", Map.of("rssAnonBytes", m.anonBytes(), "rssFileBytes",
                m.fileBytes(), "peakRssBytes", m.peakBytes())));
        status.run().ifPresent(run -> structured.put("run", Map.of("phase", run.phase().name().toLowerCase(Locale.ROOT),
                "filesIndexed", run.files().indexed(), "chunksEmbedded", run.chunks().embedded(),
                "seconds", Math.round(run.cost().elapsedSeconds() * 10) / 10.0)));
        StringBuilder rendered = new StringBuilder();
        rendered.append(String.format(Locale.ROOT, "%s %s: %,d files indexed, %,d chunks, %,d with vectors",
                structured.get("state"), index.root(), status.filesIndexed(), status.chunks(),
                status.chunksEmbedded()));
        if (status.chunksWordsOnly() > 0) {
            rendered.append(String.format(Locale.ROOT, ", %,d of data (tables, escapes, numbers) searched by words only",
                    status.chunksWordsOnly()));
        }
        if (status.filesWaitingForVectors() > 0) {
            rendered.append(String.format(Locale.ROOT, " (%,d files searchable by words while their vectors are"
                    + " made)", status.filesWaitingForVectors()));
        }
        rendered.append(". ");
        if (status.changesQueued() != 0) {
            rendered.append(status.changesQueued() < 0 ? "The whole tree is to be checked. "
                    : status.changesQueued() + " changed paths queued. ");
        }
        status.run().ifPresent(run -> rendered.append("Running: ").append(run.phase().name().toLowerCase(Locale.ROOT))
                .append(" phase. "));
        rendered.append("Last update: ").append(status.lastUpdate().map(Object::toString).orElse("none yet"))
                .append(status.watching().equals(LiveIndex.NOT_WATCHING)
                        ? ". Not watching the tree for changes (--no-watch): the reindex tool takes them in."
                        : ". Watching by " + status.watching() + ".");
        // Anonymous memory is the server's own; file-backed pages are the mapped index, which the OS
        // shares and takes back under pressure: apart, they say which one grows.
        memory.ifPresent(m -> rendered.append(" Memory: ").append(ByteSize.format(m.anonBytes())).append(" anonymous, ")
                .append(ByteSize.format(m.fileBytes())).append(" file-backed (mapped index and model files)."));
        status.lastError().ifPresent(e -> rendered.append("\nLast error: ").append(e));
        return new Answer(structured, rendered.toString());
    }

    private Answer reindex(Map<String, Object> arguments) {
        ToolArguments args = new ToolArguments(arguments, List.of("paths"));
        List<String> paths = args.strings("paths");
        if (paths.size() > MAX_REINDEX_PATHS) {
            throw new IllegalArgumentException("at most " + MAX_REINDEX_PATHS + " paths at once; leave paths out to"
                    + " reindex the whole tree");
        }
        List<String> relative = new ArrayList<>();
        for (String path : paths) {
            java.nio.file.Path given = index.root().resolve(SourceLines.path(path)).normalize();
            if (!given.startsWith(index.root())) {
                throw new IllegalArgumentException("'" + Echo.of(path) + "' is outside the indexed tree (" + index.root()
                        + ")");
            }
            relative.add(index.root().relativize(given).toString().replace(java.io.File.separatorChar, '/'));
        }
        index.reindex(relative.contains("") ? List.of() : relative);
        Map<String, Object> structured = Json.object("queued",
                relative.isEmpty() || relative.contains("") ? List.of(".") : relative);
        String what = relative.isEmpty() || relative.contains("") ? "the whole tree" : relative.size() + " path(s)";
        return new Answer(structured, "Reindexing " + what + " now; index_status shows progress.");
    }
}
