package dev.indexer.chunk.syntax;

import dev.indexer.unpack.NativeDirectory;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * tree-sitter's native libraries (the parser's and one per grammar), unpacked once into the index
 * home. Left to itself, tree-sitter-ng copies each library it loads into a new temporary file that
 * is deleted only at a normal exit: every process killed by a signal or the out-of-memory killer
 * left 0.4 MB per grammar in {@code /tmp} (the development machine had 266 such files). Told a
 * directory through {@value #PROPERTY}, it loads from there.
 */
public final class TreeSitterNatives {
    /** tree-sitter-ng's own system property: the directory that holds its {@code lib/} files. */
    static final String PROPERTY = "tree-sitter-lib";
    /** The parser's library and the grammars' that {@link SyntaxLanguage} loads. */
    private static final List<String> LIBRARIES = List.of("tree-sitter", "tree-sitter-c", "tree-sitter-cpp",
            "tree-sitter-go", "tree-sitter-java", "tree-sitter-javascript", "tree-sitter-python", "tree-sitter-rust",
            "tree-sitter-typescript");

    private TreeSitterNatives() {}

    /**
     * Points tree-sitter at its libraries under {@code homeDir}, copying them there first if they are
     * not; call before the first parse. Leaves a directory the user set alone; where the jars have no
     * libraries for this platform or the home cannot take them, tree-sitter keeps its own way.
     */
    public static void useUnpacked(Path homeDir) {
        NativeDirectory.use(homeDir, new NativeDirectory.Loader("tree-sitter", List.of(PROPERTY),
                TreeSitterNatives::plan, dir -> Map.of(PROPERTY, dir.toString())));
    }

    private static Optional<NativeDirectory.Plan> plan() throws IOException {
        Optional<String> platform = platform();
        if (platform.isEmpty()) {
            return Optional.empty();
        }
        // The jars carry no version; their names and the libraries' sizes tell one build from another.
        MessageDigest digest = sha256();
        List<NativeDirectory.Library> libraries = new ArrayList<>();
        for (String library : LIBRARIES) {
            String resource = resource(platform.get(), library);
            URL url = TreeSitterNatives.class.getClassLoader().getResource(resource);
            if (url != null) {
                String jar = url.toString().replaceFirst("!.*", "");
                digest.update((jar.substring(jar.lastIndexOf('/') + 1) + " " + url.openConnection()
                        .getContentLengthLong() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            // A library missing from the jars is skipped: tree-sitter-ng would not find it either.
            libraries.add(new NativeDirectory.Library(resource, resource, true));
        }
        String build = HexFormat.of().formatHex(digest.digest(), 0, 6);
        return Optional.of(new NativeDirectory.Plan("tree-sitter-" + build, libraries));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Where tree-sitter-ng looks for {@code library}, relative to its directory and in its jar. */
    private static String resource(String platform, String library) {
        return "lib/" + platform.replace("{}", library);
    }

    /** tree-sitter-ng's name for a library on this platform, {@code {}} standing for the library. */
    private static Optional<String> platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osPart = os.contains("windows") ? "windows" : os.contains("linux") ? "linux-gnu"
                : os.contains("mac") ? "macos" : null;
        String extension = os.contains("windows") ? "dll" : os.contains("linux") ? "so" : "dylib";
        String archPart = arch.contains("amd64") || arch.contains("x86_64") ? "x86_64"
                : arch.contains("aarch64") ? "aarch64" : null;
        return osPart == null || archPart == null ? Optional.empty()
                : Optional.of(archPart + "-" + osPart + "-{}." + extension);
    }
}
