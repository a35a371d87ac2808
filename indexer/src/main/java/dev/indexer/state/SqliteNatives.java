package dev.indexer.state;

import dev.indexer.unpack.ClassPathFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static final Object LOCK = new Object();
    private static final System.Logger LOG = System.getLogger(SqliteNatives.class.getName());

    private SqliteNatives() {}

    /**
     * Points sqlite-jdbc at its library under {@code homeDir}, copying it there first if it is not;
     * call before the first connection. Leaves a library the user set alone; where the jar has none
     * for this platform or the home cannot take it, sqlite-jdbc keeps its own way.
     */
    public static void useUnpacked(Path homeDir) {
        synchronized (LOCK) {
            if (System.getProperty(PATH) != null || System.getProperty(NAME) != null) {
                return;
            }
            try {
                // sqlite-jdbc's own names for this platform's folder and file, as its loader reads them.
                String folder = OSInfo.getNativeLibFolderPathForCurrentOS();
                String name = LibraryLoaderUtil.getNativeLibName();
                String resource = LibraryLoaderUtil.getNativeLibResourcePath().replaceFirst("^/", "") + "/" + name;
                if (SqliteNatives.class.getClassLoader().getResource(resource) == null) {
                    return;
                }
                Path dir = homeDir.resolve("native")
                        .resolve("sqlite-" + SQLiteJDBCLoader.getVersion() + "-" + folder.replace('/', '-'));
                Files.createDirectories(dir);
                ClassPathFiles.removeAbandonedParts(dir);
                ClassPathFiles.copy(resource, dir.resolve(name));
                System.setProperty(PATH, dir.toString());
                System.setProperty(NAME, name);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "sqlite-jdbc unpacks its own library: " + e.getMessage(), e);
            }
        }
    }
}
