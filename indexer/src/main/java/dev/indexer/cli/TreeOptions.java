package dev.indexer.cli;

import dev.indexer.config.ByteSize;
import dev.indexer.config.ChunkerKind;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.Defaults;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** The tree to read and how: shared by {@code index} and {@code estimate}, which must agree. */
final class TreeOptions {
    @Parameters(index = "0", paramLabel = "PATH", description = "The directory to index.")
    Path path;

    @Option(names = "--max-file-size", paramLabel = "SIZE", defaultValue = Defaults.MAX_FILE_SIZE_TEXT,
            converter = Converters.Size.class,
            description = "Skip larger files (checked before reading), e.g. 512k, 5MB, 1g. Default: ${DEFAULT-VALUE}.")
    ByteSize maxFileSize;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = Defaults.MODEL_TEXT,
            converter = Converters.Model.class, completionCandidates = Converters.ModelIds.class,
            description = "Embedding model: ${COMPLETION-CANDIDATES}. bge-small is better on code, minilm faster."
                    + " Default: ${DEFAULT-VALUE}.")
    ModelSpec model;

    @Option(names = "--max-memory", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Memory budget for the whole process (heap and native), e.g. 512m, 1g: sizes model calls,"
                    + " queues and buffers to fit, and refuses up front if it cannot work. scripts/indexer derives"
                    + " the heap from it. Default: 4 times the JVM's heap limit.")
    ByteSize maxMemory;

    @Option(names = "--model-calls", paramLabel = "N",
            description = "Model calls at once, each on an equal share of the cores and of the tokens per call. On two"
                    + " cores 2 run the model about 1.2x as fast as 1, for about 20 MB more memory. Default: "
                    + Defaults.MODEL_CALLS_TEXT + ".")
    Integer modelCalls;

    @Option(names = "--chunker", paramLabel = "KIND", defaultValue = Defaults.CHUNKER_TEXT,
            description = "syntax: cut source code at functions and classes (Java, Python, JavaScript, TypeScript, Go,"
                    + " Rust, C, C++) and the rest into line windows; lines: line windows everywhere. Default: ${DEFAULT-VALUE}.")
    String chunker;

    @Option(names = "--follow-symlinks", description = "Follow symbolic links (loops are detected and skipped).")
    boolean followSymlinks;

    /** The tree's absolute path; a usage error if it is not a directory. */
    Path root(CommandLine commandLine) {
        if (!Files.isDirectory(path)) {
            throw new CommandLine.ParameterException(commandLine,
                    "PATH: " + path + (Files.exists(path) ? " is not a directory" : " does not exist"));
        }
        return path.toAbsolutePath().normalize();
    }

    /** What a collection indexed with these options is built with. */
    CollectionSpec spec(CommandLine commandLine) {
        try {
            return new CollectionSpec(model, ChunkerKind.byId(chunker));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--chunker: " + e.getMessage());
        }
    }

    /**
     * How many model calls run at once: from 1 to the number of cores (a call on less than a core
     * would only wait for one); when not given, the default unless the memory budget is too small for it.
     */
    int modelCalls(CommandLine commandLine) {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        if (modelCalls == null) {
            return MemoryBudget.defaultCalls(Optional.ofNullable(maxMemory), model, cores);
        }
        if (modelCalls < 1 || modelCalls > cores) {
            throw new CommandLine.ParameterException(commandLine, "--model-calls: " + modelCalls + " is not from 1 to "
                    + cores + ", the cores of this machine: each call needs a core of its own");
        }
        return modelCalls;
    }

    /** The memory plan for the model calls asked for, after the checks that must pass before any work. */
    MemoryBudget memory(CommandLine commandLine) {
        return MemoryBudget.forRun(Optional.ofNullable(maxMemory), model, modelCalls(commandLine));
    }
}
