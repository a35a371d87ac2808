package dev.indexer.embed.onnx;

import ai.onnxruntime.OrtEnvironment;
import dev.indexer.unpack.NativeDirectory;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * ONNX Runtime's native libraries, unpacked once into the index home instead of by every process.
 * Left to itself, the runtime copies its 28 MB library into a new {@code /tmp/onnxruntime-java*}
 * directory at each start and removes the files only at a normal exit: the directory stays behind
 * every time, and a process killed by a signal or the out-of-memory killer leaves all 28 MB (the
 * development machine had 1,141 such directories, 237 of them with their libraries). Told a
 * directory through {@value #PROPERTY}, it loads from there; its temporary directory then stays
 * empty, but is still made at every start and removed only at a normal exit, so a killed process
 * left an empty directory (174 on the development machine in one day of tests): {@link
 * #removeEmptyTemporaryDirectory} removes it once the runtime has started.
 */
final class OrtNatives {
    /** ONNX Runtime's own system property: the directory its libraries are loaded from. */
    static final String PROPERTY = "onnxruntime.native.path";
    /** Loaded by the runtime in this order; the providers' library exists on some platforms only. */
    private static final List<String> REQUIRED = List.of("onnxruntime", "onnxruntime4j_jni");
    private static final String OPTIONAL = "onnxruntime_providers_shared";
    /** The runtime's loader and its field that holds the temporary directory it made (1.29). */
    private static final String LOADER_CLASS = "ai.onnxruntime.OnnxRuntime";
    private static final String DIRECTORY_FIELD = "tempDirectory";
    private static final System.Logger LOG = System.getLogger(OrtNatives.class.getName());

    private OrtNatives() {}

    /**
     * Points ONNX Runtime at its libraries under {@code homeDir}, copying them there first if they
     * are not; call before the runtime starts. Leaves a directory the user set alone, and where the
     * jar has no libraries for this platform or the home cannot take them, leaves the runtime to
     * its own way (slower, and litters the temporary directory, but it runs).
     */
    static void useUnpacked(Path homeDir) {
        NativeDirectory.use(homeDir, new NativeDirectory.Loader("ONNX Runtime", List.of(PROPERTY),
                OrtNatives::plan, dir -> Map.of(PROPERTY, dir.toString())));
    }

    private static Optional<NativeDirectory.Plan> plan() {
        return platform().map(platform -> {
            String version = Optional.ofNullable(OrtEnvironment.class.getPackage().getImplementationVersion())
                    .orElse("unversioned");
            String resources = "ai/onnxruntime/native/" + platform + "/";
            List<NativeDirectory.Library> libraries = new ArrayList<>();
            for (String library : REQUIRED) {
                String file = System.mapLibraryName(library);
                libraries.add(new NativeDirectory.Library(resources + file, file, false));
            }
            String optional = System.mapLibraryName(OPTIONAL);
            libraries.add(new NativeDirectory.Library(resources + optional, optional, true));
            return new NativeDirectory.Plan("onnxruntime-" + version + "-" + platform, libraries);
        });
    }

    /**
     * Removes the directory the runtime made in the temporary directory at its start, if it is
     * empty (its libraries came from the home); call after the runtime has started. The runtime
     * keeps the directory for the providers it unpacks on request (CUDA, ROCm), which this engine
     * never asks for. The runtime names the directory in a private field only; where a version
     * has no such field, or the directory holds the runtime's own libraries, it is left alone.
     */
    static void removeEmptyTemporaryDirectory() {
        try {
            Field field = Class.forName(LOADER_CLASS).getDeclaredField(DIRECTORY_FIELD);
            field.setAccessible(true);
            if (field.get(null) instanceof Path dir && Files.isDirectory(dir)) {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isEmpty()) {
                        Files.deleteIfExists(dir);
                    }
                }
            }
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "ONNX Runtime's temporary directory stays until exit: " + e, e);
        }
    }

    /** The runtime's name for this platform's folder in its jar, as its loader names it. */
    private static Optional<String> platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osPart = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win"
                : os.contains("nux") ? "linux" : null;
        String archPart = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x64") ? "x64"
                : arch.equals("aarch64") ? "aarch64" : null;
        return osPart == null || archPart == null ? Optional.empty() : Optional.of(osPart + "-" + archPart);
    }
}
