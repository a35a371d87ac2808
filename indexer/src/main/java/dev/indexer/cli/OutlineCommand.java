package dev.indexer.cli;

import dev.indexer.navigate.Navigation;
import dev.indexer.navigate.NavigationReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "outline", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "", header = "List a file's definitions, nested, with their lines and signatures.",
        description = {"List the definitions of the indexed file PATH (relative to the collection's root), nested"
                + " as they are in the file, each with its lines and signature. A file that changed since it was"
                + " indexed is read again."})
final class OutlineCommand extends NavigationCommand {
    @Parameters(index = "0", paramLabel = "PATH", description = "The file, relative to the indexed root.")
    String path;

    OutlineCommand(CliContext context) {
        super(context);
    }

    @Override
    Answer answer(NavigationReader navigation) {
        Navigation.Outline outline = navigation.outline(path);
        return new Answer(outline.fields(), outline.text());
    }
}
