package dev.indexer.cli;

import dev.indexer.engine.Engine;
import dev.indexer.json.Json;
import dev.indexer.store.RepoSummary;
import dev.indexer.store.RunRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "repos", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "", header = "List the repositories of a collection.",
        description = {"List the repositories indexed into a collection, from the store (any machine that reaches it"
                + " answers): files, chunks, chunks with vectors, and the last completed run's commit and time."})
final class ReposCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    QdrantOptions qdrant;

    @Option(names = "--json", description = "Print one JSON object: {\"collection\": ..., \"repos\": [...]}.")
    boolean json;

    ReposCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String name = store.collection(spec.commandLine());
        var home = store.home(context.env(), spec.commandLine());
        List<RepoSummary> repos = Engine.forReading(home, qdrant.target(context.env(), home, spec.commandLine()))
                .repos(name);
        PrintWriter out = context.out();
        if (json) {
            out.println(Json.of(Map.of("collection", name, "repos", repos.stream().map(RepoSummary::fields).toList())));
        } else if (repos.isEmpty()) {
            out.println("Collection '" + name + "' holds no repository yet.");
        } else {
            out.printf(Locale.ROOT, "Repositories of collection '%s':%n", name);
            for (RepoSummary r : repos) {
                RunRecord last = r.runs().isEmpty() ? null : r.runs().get(0);
                String run = last == null ? "no completed run"
                        : "last run " + last.finished() + (last.commit().isEmpty() ? ""
                                : " at " + last.commit().substring(0, Math.min(12, last.commit().length())));
                out.printf(Locale.ROOT, "  %-40s %,8d files %,10d chunks %,10d embedded%s  %s%n", r.name(), r.files(),
                        r.chunks(), r.embedded(), r.wordsOnly() > 0
                                ? String.format(Locale.ROOT, " %,10d data (words only)", r.wordsOnly()) : "", run);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
