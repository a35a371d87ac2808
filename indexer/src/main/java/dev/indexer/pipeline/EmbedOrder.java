package dev.indexer.pipeline;

import dev.indexer.chunk.Language;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The order the embedding phase gives vectors in: what people search for most comes first. The
 * lexical phase makes every file findable by words at once; meaning search then covers the code
 * itself before its documentation, tests, examples and generated files.
 */
public final class EmbedOrder {
    /** Code that is neither a test, an example nor generated. */
    static final int SOURCE = 0;
    /** Documentation, configuration, data: any other text. */
    static final int TEXT = 1;
    /** Tests, examples, samples, benchmarks. */
    static final int TESTS = 2;
    /** Generated or vendored code. */
    static final int GENERATED = 3;

    private static final Set<String> TEST_DIRECTORIES = Set.of("test", "tests", "__tests__", "spec", "specs",
            "testdata", "test-data", "testing", "fixtures", "__mocks__", "examples", "example", "samples", "sample",
            "demo", "demos", "benchmark", "benchmarks", "bench", "jmh", "it", "e2e");
    private static final Set<String> GENERATED_DIRECTORIES = Set.of("generated", "gen", "__generated__",
            "generated-sources", "third_party", "third-party", "thirdparty", "external", "vendored");
    private static final Pattern TEST_FILE = Pattern.compile(
            "(?:.*(?:Test|Tests|IT|Spec)\\.(?:java|kt|scala|groovy)|.*_test\\.(?:go|py|rs|c|cc|cpp)|test_.*\\.py"
                    + "|.*\\.(?:test|spec)\\.[jt]sx?|.*_spec\\.rb|conftest\\.py)");
    private static final Pattern GENERATED_FILE = Pattern.compile(
            ".*(?:\\.pb\\.go|_pb2(?:_grpc)?\\.py|\\.generated\\.\\w+|\\.g\\.dart|_gen\\.go|\\.designer\\.cs)");

    private EmbedOrder() {}

    /** Where a file comes in the embedding order: {@link #SOURCE} first, {@link #GENERATED} last. */
    public static int priority(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (GENERATED_FILE.matcher(name).matches()) {
            return GENERATED;
        }
        String[] segments = path.toLowerCase(Locale.ROOT).split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            if (GENERATED_DIRECTORIES.contains(segments[i])) {
                return GENERATED;
            }
        }
        for (int i = 0; i < segments.length - 1; i++) {
            if (TEST_DIRECTORIES.contains(segments[i])) {
                return TESTS;
            }
        }
        if (TEST_FILE.matcher(name).matches()) {
            return TESTS;
        }
        return CODE.contains(Language.of(path)) ? SOURCE : TEXT;
    }

    /** Languages that are code rather than documentation, configuration or data. */
    private static final Set<String> CODE = Set.of("java", "kotlin", "scala", "groovy", "python", "javascript",
            "typescript", "go", "rust", "c", "cpp", "csharp", "swift", "objective-c", "ruby", "php", "perl", "lua",
            "r", "julia", "dart", "elixir", "erlang", "haskell", "ocaml", "clojure", "zig", "nim", "shell", "sql",
            "powershell", "vue", "svelte", "proto", "protobuf", "graphql", "terraform");
}
