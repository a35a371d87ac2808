package dev.indexer.state;

import dev.indexer.unpack.NativeDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;
import org.sqlite.util.OSInfo;

/**
 * SQLite's native library, unpacked once into the index home. Left to itself, sqlite-jdbc copies
 * its 1.1 MB library into a new file of the temporary directory at each start and deletes it only
 * at a normal exit: every process killed by a signal or the out-of-memory killer left one behind
 * (the development machine had 226). Told a file through its {@value #PATH} and {@value #NAME}
 * properties, it loads that one.
 */
public final class SqliteNatives {
    static final String PATH = "org.sqlite.lib.path";
    static final String NAME = "org.sqlite.lib.name";

    private SqliteNatives() {}

    /**
     * Points sqlite-jdbc at its library under {@code homeDir}, copying it there first if it is not;
     * call before the first connection. Leaves a library the user set alone; where the jar has none
     * for this platform or the home cannot take it, sqlite-jdbc keeps its own way.
     */
    public static void useUnpacked(Path homeDir) {
        NativeDirectory.use(homeDir, new NativeDirectory.Loader("sqlite-jdbc", List.of(PATH, NAME),
                SqliteNatives::plan, dir -> Map.of(PATH, dir.toString(), NAME, LibraryLoaderUtil.getNativeLibName())));
    }

    private static Optional<NativeDirectory.Plan> plan() {
        // sqlite-jdbc's own names for this platform's folder and file, as its loader reads them.
        String folder = OSInfo.getNativeLibFolderPathForCurrentOS();
        String name = LibraryLoaderUtil.getNativeLibName();
        String resource = LibraryLoaderUtil.getNativeLibResourcePath().replaceFirst("^/", "") + "/" + name;
        if (SqliteNatives.class.getClassLoader().getResource(resource) == null) {
            return Optional.empty();
        }
        return Optional.of(new NativeDirectory.Plan("sqlite-" + SQLiteJDBCLoader.getVersion() + "-"
                + folder.replace('/', '-'), List.of(new NativeDirectory.Library(resource, name, false))));
    }
}
