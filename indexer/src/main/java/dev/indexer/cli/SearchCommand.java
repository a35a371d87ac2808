package dev.indexer.cli;

import dev.indexer.IndexerException;
import dev.indexer.config.Defaults;
import dev.indexer.config.IndexHome;
import dev.indexer.config.RepoName;
import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.Engine;
import dev.indexer.engine.SearchQuery;
import dev.indexer.json.Json;
import dev.indexer.socket.ServerSearch;
import dev.indexer.store.RepoScope;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.StoreTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "search", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "", header = "Find the code that answers a question, by meaning and by words.",
        description = {"Find the chunks of a collection that best answer QUERY: by meaning and by words (hybrid, the"
                + " default), by meaning only (vector) or by words only (lexical).",
            "With --queries FILE, answer one query per line, one JSON line each."})
final class SearchCommand implements Callable<Integer> {
    /** How this command names what it checks in a query. */
    private static final SearchQuery.Names NAMES = new SearchQuery.Names("QUERY", "-k", SearchQuery.MAX_HITS);
    private static final int SNIPPET_LINES = 3;
    private static final int SNIPPET_WIDTH = 100;

    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY", description = "What to look for, in plain words or code.")
    String query;

    @Option(names = "--queries", paramLabel = "FILE",
            description = "Answer each line of FILE as a query (blank lines and lines starting with # are skipped),"
                    + " printing one JSON object per query: {\"query\": ..., \"hits\": [...]}. The model loads once.")
    Path queries;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "hybrid",
            description = "hybrid (vector and lexical results fused by weighted, normalised scores), vector (meaning) or lexical"
                    + " (BM25 over code-aware words: names split at camelCase, snake_case and dots). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--lang", paramLabel = "LANG", description = "Only chunks in this language, in any case: java, python, typescript...")
    String language;

    @Option(names = "--path", paramLabel = "GLOB",
            description = "Only files whose path matches GLOB: '*.py' (any directory), 'src/**', 'src/**/*Test.java'.")
    String pathGlob;

    @Mixin
    QdrantOptions qdrant;

    @Mixin
    StoreOptions store;

    @Option(names = "--repo", paramLabel = "NAME[,NAME...]",
            description = "Search only these repositories of the collection (a comma-separated list). Default: all"
                    + " of them, as --all-repos says. Each result names its repository.")
    String repos;

    @Option(names = "--all-repos", description = "Search every repository of the collection (the default).")
    boolean allRepos;

    @Option(names = {"-k", "--top"}, paramLabel = "K", defaultValue = Defaults.SEARCH_HITS_TEXT,
            description = "How many results. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--json", description = "One JSON object per result, one per line.")
    boolean json;

    @Option(names = "--verbose", description = "Say on stderr who answered: the server (mcp or serve) that holds the"
            + " collection on this machine, which search asks when there is one, or this command, and how long it took.")
    boolean verbose;

    SearchCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        CommandLine commandLine = spec.commandLine();
        if (query == null && queries == null) {
            throw new CommandLine.MissingParameterException(commandLine, spec.findOption("--queries"),
                    "give either QUERY or --queries FILE");
        }
        if (query != null && queries != null) {
            throw new CommandLine.ParameterException(commandLine, "give either QUERY or --queries FILE, not both");
        }
        if (queries != null) {
            checkQueriesFile(queries);
        }
        // Checked before anything opens, with the query (or a stand-in for a file of them).
        SearchQuery first = query(commandLine, query == null ? "-" : query);
        String name = store.collection(commandLine);
        RepoScope scope = scope(commandLine);
        IndexHome home = store.home(context.env(), commandLine);
        try (Answers answers = new Answers(home, qdrant.target(context.env(), home, commandLine), name, scope)) {
            if (queries == null) {
                CollectionReader.Results results = answers.search(first);
                print(context.out(), name, answers.root, results, first.mode());
            } else {
                answerEach(answers, commandLine);
            }
        }
        context.out().flush();
        return ExitCodes.OK;
    }

    /** The repositories {@code --repo} names, or all; a usage error for a bad name or both options. */
    private RepoScope scope(CommandLine commandLine) {
        if (repos == null) {
            return RepoScope.ALL;
        }
        if (allRepos) {
            throw new CommandLine.ParameterException(commandLine, "give --repo or --all-repos, not both");
        }
        List<String> names = new ArrayList<>();
        for (String part : repos.split(",", -1)) {
            try {
                String repo = new RepoName(part.strip()).value();
                if (!names.contains(repo)) {
                    names.add(repo);
                }
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, "--repo: " + e.getMessage());
            }
        }
        return new RepoScope(names);
    }

    /**
     * Where this command's searches are answered: by the server that holds the collection on this
     * machine when one answers (it has the model loaded and the index open: a cold search of a
     * large collection takes a second or more), else by opening the collection here, once.
     */
    private final class Answers implements AutoCloseable {
        private final IndexHome home;
        private final StoreTarget target;
        private final String name;
        private final RepoScope scope;
        private Optional<ServerSearch> server;
        private CollectionReader local;
        /** The indexed tree, as whoever answered knows it. */
        String root = "";

        Answers(IndexHome home, StoreTarget target, String name, RepoScope scope) {
            this.home = home;
            this.target = target;
            this.name = name;
            this.scope = scope;
            // A server serves one repository: it answers a search of that one alone, or of all when
            // it is the collection's only one (known here for the embedded store only: a Qdrant
            // collection may hold repositories indexed elsewhere).
            java.util.Set<String> here = scope.names().size() == 1 || !target.local() ? java.util.Set.of()
                    : home.repos(name).keySet();
            Optional<String> one = scope.names().size() == 1 ? Optional.of(scope.names().get(0))
                    : scope.all() && here.size() == 1 ? Optional.of(here.iterator().next()) : Optional.empty();
            this.server = one.flatMap(repo -> ServerSearch.near(home.repoDir(name, repo), name, target.describe(name)));
            if (server.isEmpty()) {
                say("no server listens for searches of collection '" + name + "' on this machine; searching it here");
            }
        }

        CollectionReader.Results search(SearchQuery asked) {
            long start = System.nanoTime();
            if (server.isPresent()) {
                ServerSearch.Reply reply = server.get().search(asked);
                if (reply instanceof ServerSearch.Answered answered) {
                    root = answered.root();
                    say(String.format(Locale.ROOT, "answered by the server that holds collection '%s' (pid %d) in %d ms",
                            name, answered.pid(), (System.nanoTime() - start) / 1_000_000));
                    return answered.results();
                }
                say(((ServerSearch.Unanswered) reply).why() + "; searching collection '" + name + "' here");
                server = Optional.empty();
            }
            if (local == null) {
                local = Engine.forReading(home, target).openReader(name, scope);
                root = local.info().root();
            }
            CollectionReader.Results results = local.search(asked);
            say(String.format(Locale.ROOT, "searched here in %d ms", (System.nanoTime() - start) / 1_000_000));
            return results;
        }

        private void say(String line) {
            if (verbose) {
                context.err().println("indexer: " + line);
                context.err().flush();
            }
        }

        @Override
        public void close() {
            if (local != null) {
                local.close();
            }
        }
    }

    /** One JSON line per query of the file, read a line at a time (a file of any length). */
    private void answerEach(Answers answers, CommandLine commandLine) throws IOException {
        // Invalid bytes decode as U+FFFD, found per line: a reader that reports them would do so for
        // the line its read-ahead reached, not the line they are on.
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(queries), decoder))) {
            long number = 0;
            for (String raw = reader.readLine(); raw != null; raw = reader.readLine()) {
                number++;
                if (raw.indexOf('\uFFFD') >= 0) {
                    throw new IndexerException("Line " + number + " of the queries file " + queries + " is not UTF-8"
                            + " text; give a text file with one query per line.");
                }
                String text = raw.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                Map<String, Object> line = Json.object("query", text);
                CollectionReader.Results results = answers.search(query(commandLine, text));
                line.putAll(results.answerFields(answers.root));
                context.out().println(Json.of(line));
            }
        }
    }

    /** The query for {@code text} with this command's options; a broken rule is a usage error. */
    private SearchQuery query(CommandLine commandLine, String text) {
        try {
            return SearchQuery.parse(NAMES, text, Optional.of(k), Optional.of(mode), Optional.ofNullable(language),
                    Optional.ofNullable(pathGlob));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    private static void checkQueriesFile(Path file) {
        String problem = !Files.exists(file) ? "does not exist" : Files.isDirectory(file) ? "is a directory"
                : !Files.isReadable(file) ? "cannot be read (permissions)"
                : null;
        if (problem != null) {
            throw new IndexerException("The queries file " + file + " " + problem + "; give a readable text file with"
                    + " one query per line.");
        }
    }

    private void print(PrintWriter out, String name, String root, CollectionReader.Results results,
            SearchMode searchMode) {
        // Results of several repositories say which each is from.
        boolean manyRepos = results.hits().stream().map(SearchHit::repo).distinct().count() > 1;
        for (SearchHit hit : results.hits()) {
            if (json) {
                out.println(Json.of(results.fields(hit, root)));
            } else {
                // Fused scores are small (1/61 at best per list): they need a digit more.
                String score = String.format(Locale.ROOT, searchMode == SearchMode.HYBRID ? "%.4f" : "%.3f", hit.score());
                String symbol = hit.symbol().isEmpty() ? "" : "  " + hit.kind() + " " + hit.symbol()
                        + (hit.container().isEmpty() ? "" : " in " + hit.container());
                out.printf(Locale.ROOT, "%s%s:%d-%d  %s%s%n", manyRepos ? hit.repo() + ": " : "", hit.path(),
                        hit.startLine(), hit.endLine(), score, symbol);
                if (!hit.copies().isEmpty()) {
                    out.println("    " + hit.copiesLine(manyRepos));
                }
                String stale = results.stale().getOrDefault(hit.id(), "");
                if (!stale.isEmpty()) {
                    out.println(stale.equals(CollectionReader.Results.CHANGED)
                            ? "    (the file changed since it was indexed: these lines may have moved)"
                            : "    (the file was deleted since it was indexed: this is what it held)");
                }
                for (String line : snippet(hit.text())) {
                    out.println("    " + line);
                }
                out.println();
            }
        }
        if (!json) {
            if (results.hits().isEmpty()) {
                out.println("No results in collection '" + name + "'"
                        + (language != null || pathGlob != null ? " with these filters." : "."));
            }
            for (String note : results.notes()) {
                context.err().println("indexer: note: " + note);
            }
        }
        out.flush();
        context.err().flush();
    }

    /** The first few non-blank lines, shortened, with common indentation removed. */
    static List<String> snippet(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).limit(SNIPPET_LINES).toList();
        int indent = lines.stream().mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.substring(indent).stripTrailing())
                .map(l -> l.length() > SNIPPET_WIDTH ? l.substring(0, SNIPPET_WIDTH - 3) + "..." : l).toList();
    }
}
