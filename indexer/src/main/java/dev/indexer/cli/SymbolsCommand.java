package dev.indexer.cli;

import dev.indexer.navigate.Navigation;
import dev.indexer.navigate.NavigationReader;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "symbols", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "", header = "Find where a class, function, method, field or constant is defined.",
        description = {"Find the definitions named QUERY in a collection: a simple name (resize), a qualified one"
                + " (HashMap.resize, java.util.HashMap#resize, pkg.module.func, Type::method), a prefix (resi) or"
                + " camel humps (HM.res), case ignored. Exact qualified matches come first, then exact names, then"
                + " the rest, shorter names first."})
final class SymbolsCommand extends NavigationCommand {
    @Parameters(index = "0", paramLabel = "QUERY", description = "The name to look up.")
    String query;

    @Option(names = "--kind", paramLabel = "KIND", description = "Only definitions of this kind: class, interface,"
            + " enum, record, struct, trait, type, function, method, constructor, field, constant...")
    String kind;

    @Option(names = "--lang", paramLabel = "LANG", description = "Only definitions in this language, in any case.")
    String language;

    @Option(names = "--path", paramLabel = "GLOB", description = "Only files whose path matches GLOB: '*.py', 'src/**'.")
    String pathGlob;

    @Option(names = {"-k", "--top"}, paramLabel = "K", defaultValue = "20",
            description = "How many definitions at most. Default: ${DEFAULT-VALUE}.")
    int limit;

    SymbolsCommand(CliContext context) {
        super(context);
    }

    @Override
    void check() {
        Navigation.checkLimit("-k", limit);
        NavigationReader.checkQuery(query);
        glob(pathGlob);
    }

    @Override
    Answer answer(NavigationReader navigation) {
        List<Navigation.Found> found = navigation.find(query, Optional.ofNullable(kind), Optional.ofNullable(language),
                glob(pathGlob), limit);
        return new Answer(Navigation.foundFields(query.strip(), found), Navigation.foundText(query.strip(), found));
    }
}
