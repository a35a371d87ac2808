package dev.indexer.cli;

import dev.indexer.navigate.Navigation;
import dev.indexer.navigate.NavigationReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "outline", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "", header = "List a file's definitions, nested, with their lines and signatures.",
        description = {"List the definitions of the indexed file PATH (relative to the collection's root, else to"
                + " the current directory, or absolute), nested as they are in the file, each with its lines and"
                + " signature. A file that changed since it was indexed is read again."})
final class OutlineCommand extends NavigationCommand {
    @Parameters(index = "0", paramLabel = "PATH",
            description = "The file: relative to the indexed root, else to the current directory, or absolute.")
    String path;

    OutlineCommand(CliContext context) {
        super(context);
    }

    @Override
    Answer answer(NavigationReader navigation) {
        Navigation.Outline outline;
        try {
            outline = navigation.outline(path);
        } catch (IllegalArgumentException asGiven) {
            // A path typed in a shell below the root is relative to where the shell is, not to the
            // root: `outline Cache.java` in the file's own directory. The root's reading comes first
            // (it is what the MCP tool and a hit's path mean), and its refusal stands if neither fits.
            outline = fromWorkingDirectory(path, Path.of("").toAbsolutePath()).stream().flatMap(here -> {
                try {
                    return Stream.of(navigation.outline(here));
                } catch (IllegalArgumentException alsoRefused) {
                    return Stream.empty();
                }
            }).findFirst().orElseThrow(() -> asGiven);
        }
        return new Answer(outline.fields(), outline.text());
    }

    /**
     * {@code path} read from {@code workingDirectory}, when it is relative and names a file there: as
     * written (made absolute), then with links resolved (the root may be recorded either way).
     */
    static List<String> fromWorkingDirectory(String path, Path workingDirectory) {
        try {
            Path given = Path.of(path.strip());
            Path file = workingDirectory.resolve(given).normalize();
            if (given.isAbsolute() || !Files.isRegularFile(file)) {
                return List.of();
            }
            return Stream.of(file, file.toRealPath()).map(Path::toString).distinct().toList();
        } catch (InvalidPathException | IOException | SecurityException e) {
            return List.of();
        }
    }
}
