package dev.indexer.cli;

import dev.indexer.navigate.Navigation;
import dev.indexer.navigate.NavigationReader;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "refs", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "", header = "Find every line where a name occurs as a whole identifier.",
        description = {"Find every line of the indexed files where NAME occurs as a whole identifier (case"
                + " sensitive, as rg -w -F NAME finds it), grouped by file, each with the definition around it."
                + " Long answers come in pages: pass the printed cursor to --cursor for the next."})
final class RefsCommand extends NavigationCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "One identifier: letters, digits and '_'.")
    String name;

    @Option(names = "--path", paramLabel = "GLOB", description = "Only files whose path matches GLOB: '*.py', 'src/**'.")
    String pathGlob;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "Where the page starts: the cursor the previous"
            + " page printed.")
    String cursor;

    @Option(names = {"-k", "--top"}, paramLabel = "K", defaultValue = "50",
            description = "How many lines on a page at most. Default: ${DEFAULT-VALUE}.")
    int limit;

    RefsCommand(CliContext context) {
        super(context);
    }

    @Override
    void check() {
        Navigation.checkLimit("-k", limit);
        glob(pathGlob);
    }

    @Override
    Answer answer(NavigationReader navigation) {
        Navigation.ReferencePage page = navigation.references(name, glob(pathGlob), Optional.ofNullable(cursor), limit);
        return new Answer(page.fields(), page.text());
    }
}
