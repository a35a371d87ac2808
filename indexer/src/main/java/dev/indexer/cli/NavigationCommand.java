package dev.indexer.cli;

import dev.indexer.config.IndexHome;
import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.Engine;
import dev.indexer.json.Json;
import dev.indexer.navigate.NavigationReader;
import dev.indexer.store.PathGlob;
import dev.indexer.store.RepoScope;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * What {@code symbols}, {@code outline} and {@code refs} share: the collection's options, opening
 * its navigation index, and printing an answer as text or as the JSON the MCP tools return.
 */
abstract class NavigationCommand implements Callable<Integer> {
    /** An answer in its two renderings. */
    record Answer(Map<String, Object> fields, String text) {}

    private final CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    QdrantOptions qdrant;

    @Mixin
    StoreOptions store;

    @Mixin
    RepoOptions repo;

    @Option(names = "--json", description = "Print the answer as one JSON object.")
    boolean json;

    NavigationCommand(CliContext context) {
        this.context = context;
    }

    /** The answer from the collection's navigation index; bad input is an {@link IllegalArgumentException}. */
    abstract Answer answer(NavigationReader navigation);

    /** Checks the arguments before anything opens; a broken rule is an {@link IllegalArgumentException}. */
    void check() {}

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        try {
            check();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
        String name = store.collection(commandLine);
        IndexHome home = store.home(context.env(), commandLine);
        Engine engine = Engine.forReading(home, qdrant.target(context.env(), home, commandLine));
        Answer answer;
        Optional<String> chosen = repo.given(spec.commandLine());
        try (CollectionReader collection = chosen.isPresent() ? engine.openReader(name, RepoScope.of(chosen.get()))
                : engine.openReader(name)) {
            answer = answer(collection.navigation());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
        context.out().println(json ? Json.of(answer.fields()) : answer.text());
        context.out().flush();
        return ExitCodes.OK;
    }

    static Optional<PathGlob> glob(String glob) {
        return Optional.ofNullable(glob).map(PathGlob::of);
    }
}
