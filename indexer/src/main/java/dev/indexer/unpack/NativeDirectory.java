package dev.indexer.unpack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A native library's files, unpacked once into {@code native/} of the index home, and its loader
 * pointed there through the loader's own system properties. Left to themselves, ONNX Runtime,
 * sqlite-jdbc and tree-sitter-ng each copy their libraries into the temporary directory at every
 * start and delete them only at a normal exit, so every process killed by a signal or the
 * out-of-memory killer leaves megabytes behind. What differs between them (their properties, their
 * names for a platform, their files) is a {@link Loader}; what they share is here.
 */
public final class NativeDirectory {
    /** One lock for all loaders: they all write system properties, which the whole JVM shares. */
    private static final Object LOCK = new Object();
    private static final System.Logger LOG = System.getLogger(NativeDirectory.class.getName());

    private NativeDirectory() {}

    /**
     * One file to unpack.
     *
     * @param resource where it is on the class path
     * @param target where it goes, relative to the library's directory
     * @param optional whether a jar may lack it on this platform (then it is skipped, not an error)
     */
    public record Library(String resource, String target, boolean optional) {}

    /**
     * A library's files for this platform.
     *
     * @param directory the directory's name under {@code native/}; it names the build, so that two
     *     versions never share one
     * @param libraries its files
     */
    public record Plan(String directory, List<Library> libraries) {
        public Plan {
            libraries = List.copyOf(libraries);
        }
    }

    /** Finds a library's files for this platform; empty where the jars have none for it. */
    @FunctionalInterface
    public interface Plans {
        Optional<Plan> plan() throws IOException;
    }

    /**
     * What one native loader needs said to load from the index home.
     *
     * @param name the library's name, for the log
     * @param properties the loader's own properties: one that is set already was set by the user, who wins
     * @param plans its files for this platform
     * @param pointingAt the properties, with their values, that point the loader at a directory
     */
    public record Loader(String name, List<String> properties, Plans plans,
            Function<Path, Map<String, String>> pointingAt) {
        public Loader {
            properties = List.copyOf(properties);
        }
    }

    /**
     * Points {@code loader} at its files under {@code homeDir}, copying them there first if they are
     * not; call before the library is first loaded. Where the user set one of its properties, the
     * jars have no files for this platform or the home cannot take them, the loader keeps its own
     * way (it litters the temporary directory, but it runs).
     *
     * @return whether the loader now loads from the home
     */
    public static boolean use(Path homeDir, Loader loader) {
        synchronized (LOCK) {
            if (loader.properties().stream().anyMatch(property -> System.getProperty(property) != null)) {
                return false;
            }
            try {
                Optional<Plan> plan = loader.plans().plan();
                if (plan.isEmpty()) {
                    return false;
                }
                Path dir = homeDir.resolve("native").resolve(plan.get().directory());
                Set<Path> cleaned = new HashSet<>();
                for (Library library : plan.get().libraries()) {
                    Path target = dir.resolve(library.target());
                    Path parent = target.getParent();
                    if (cleaned.add(parent)) {
                        Files.createDirectories(parent);
                        ClassPathFiles.removeAbandonedParts(parent);
                    }
                    if (library.optional()
                            && NativeDirectory.class.getClassLoader().getResource(library.resource()) == null) {
                        continue;
                    }
                    ClassPathFiles.copy(library.resource(), target);
                }
                loader.pointingAt().apply(dir).forEach(System::setProperty);
                return true;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, loader.name() + " unpacks its own libraries: " + e.getMessage(), e);
                return false;
            }
        }
    }
}
