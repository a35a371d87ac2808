package dev.indexer.state;

import dev.indexer.IndexerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The record of what a collection holds, file by file, in SQLite (WAL mode, one transaction per
 * commit). It is what makes reruns incremental and crash-safe: a file's row is written only after
 * the store has durably accepted its chunks, so after a crash the manifest never claims more than
 * the store has, and anything the store has beyond it is replaced on the next run (chunk ids are
 * deterministic). The same manifest serves every store.
 *
 * <p>Each run has a number; every file the walk meets is marked with it, and once a walk has
 * completed, rows not marked are files that were deleted (or are now ignored).
 *
 * <p>Methods are synchronized: one connection, shared by the walker and the writer stage.
 */
public final class Manifest implements AutoCloseable {
    public static final String FILE_NAME = "manifest.db";
    private static final Pattern RULES = Pattern.compile("[^-]*-(\\d{1,9})");

    private static final String CREATE_META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)";
    private static final String CREATE_FILES = """
            CREATE TABLE IF NOT EXISTS files (
              path TEXT PRIMARY KEY,
              size INTEGER NOT NULL,
              mtime INTEGER NOT NULL,
              hash TEXT NOT NULL,
              status TEXT NOT NULL,
              chunk_hashes TEXT NOT NULL,
              seen_run INTEGER NOT NULL,
              pending INTEGER NOT NULL DEFAULT 0,
              priority INTEGER NOT NULL DEFAULT 0,
              words_only INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID""";
    /** The embedding phase's order: files with chunks still without vectors, most searched first. */
    private static final String CREATE_PENDING_ORDER =
            "CREATE INDEX IF NOT EXISTS pending_order ON files (priority, path) WHERE pending > 0";

    private final Path file;
    private final Connection connection;
    /** Prepared once: the walk looks up every file, and parsing the query each time would dominate. */
    private final PreparedStatement lookup;
    /** Whether the files table has the pending and priority columns (see {@link #migrate}). */
    private final boolean phased;
    /** Whether the files table has the words_only column (see {@link #migrate}). */
    private final boolean countsData;
    private boolean closed;

    private Manifest(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        // A manifest written before vectors came in a second phase has no pending column; read
        // (it cannot be altered on a read-only mount) as if every chunk had its vector.
        this.phased = hasColumn(connection, "pending");
        // Before data chunks went unembedded, every chunk was embedded in the end: none is words-only.
        this.countsData = hasColumn(connection, "words_only");
        this.lookup = connection.prepareStatement("SELECT size, mtime, hash, status, chunk_hashes, "
                + (phased ? "pending, priority" : "0, 0") + (countsData ? ", words_only" : ", 0")
                + " FROM files WHERE path = ?");
    }

    private static boolean hasColumn(Connection connection, String column) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rows = s.executeQuery("PRAGMA table_info(files)")) {
            while (rows.next()) {
                if (column.equals(rows.getString("name"))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Adds what later versions keep to a manifest written by an earlier one. */
    private static void migrate(Statement s, Connection connection) throws SQLException {
        if (!hasColumn(connection, "pending")) {
            s.execute("ALTER TABLE files ADD COLUMN pending INTEGER NOT NULL DEFAULT 0");
            s.execute("ALTER TABLE files ADD COLUMN priority INTEGER NOT NULL DEFAULT 0");
        }
        if (!hasColumn(connection, "words_only")) {
            s.execute("ALTER TABLE files ADD COLUMN words_only INTEGER NOT NULL DEFAULT 0");
        }
        s.execute(CREATE_PENDING_ORDER);
    }

    /**
     * Makes a new manifest beside {@code file} and renames it into place, tables and all: a reader
     * ({@code status}, a test's probe) that finds the file finds its tables too.
     */
    private static void createAtomically(Path file) throws SQLException, java.io.IOException {
        Path fresh = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(fresh);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + fresh);
                Statement s = connection.createStatement()) {
            s.execute(CREATE_META);
            s.execute(CREATE_FILES);
            migrate(s, connection);
        }
        try {
            Files.move(fresh, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            Files.deleteIfExists(fresh); // another writer made it first; theirs is as good
        }
    }

    /** Opens (creating if needed) the manifest in {@code file}. */
    public static Manifest open(Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                createAtomically(file);
            }
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                // NORMAL is durable at each commit in WAL mode except on power loss, where the
                // last transactions may roll back; the store is then at least as far along.
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute(CREATE_META);
                s.execute(CREATE_FILES);
                migrate(s, connection);
            }
            connection.setAutoCommit(false);
            connection.commit();
            return new Manifest(file, connection);
        } catch (Exception e) {
            throw new IndexerException("Could not open the manifest " + file + " (" + e.getMessage()
                    + "); check that the directory is writable, or rebuild the collection with --reindex.", e);
        }
    }

    /**
     * Opens an existing manifest only to read it: for {@code status} and listings, which must work
     * on an index home they may not write (a read-only mount, another user's). If SQLite cannot
     * even share the lock there, the file is read as immutable.
     */
    public static Manifest openForReading(Path file) {
        try {
            return new Manifest(file, readOnly("jdbc:sqlite:file:" + file.toUri().getRawPath() + "?mode=ro"));
        } catch (SQLException e) {
            try {
                return new Manifest(file, readOnly("jdbc:sqlite:file:" + file.toUri().getRawPath() + "?immutable=1"));
            } catch (SQLException again) {
                e.addSuppressed(again);
                throw new IndexerException("Could not read the manifest " + file + " (" + e.getMessage() + ").", e);
            }
        }
    }

    private static Connection readOnly(String url) throws SQLException {
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(org.sqlite.SQLiteOpenMode.OPEN_URI);
        config.setBusyTimeout(10_000);
        Connection connection = config.createConnection(url);
        try (Statement s = connection.createStatement();
                ResultSet check = s.executeQuery("SELECT COUNT(*) FROM meta")) {
            check.next(); // fails here, not later, if the file cannot be read this way
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /**
     * Another connection to the same manifest, for a thread that only reads: in WAL mode readers
     * do not wait for the writer, nor for this connection's lock.
     */
    public Manifest openReader() {
        return open(file);
    }

    /** Whether a manifest exists at {@code file}, without creating one. */
    public static boolean exists(Path file) {
        return Files.isRegularFile(file);
    }

    public synchronized Map<String, String> meta() {
        Map<String, String> meta = new HashMap<>();
        select("SELECT key, value FROM meta", row -> meta.put(row.getString(1), row.getString(2)));
        return meta;
    }

    public synchronized void putMeta(Map<String, String> values) {
        batch("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                values.entrySet(), (put, e) -> {
                    put.setString(1, e.getKey());
                    put.setString(2, e.getValue());
                });
    }

    private interface Binder<T> {
        void bind(PreparedStatement statement, T item) throws SQLException;
    }

    /** Runs {@code sql} once per item, in one transaction. */
    private <T> void batch(String sql, Collection<T> items, Binder<T> binder) {
        if (items.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (T item : items) {
                binder.bind(statement, item);
                statement.addBatch();
            }
            statement.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            throw rollback("write", e);
        }
    }

    private interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** The rows of {@code sql} with {@code parameters} bound in order (strings, longs, ints). */
    private <T> List<T> select(String sql, Row<T> reader, Object... parameters) {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(reader.read(result));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failed("read", e);
        }
    }

    /**
     * Checks that the collection was built with these settings (model, vector size, chunker,
     * store...): vectors from different settings do not mix. A new collection has none recorded;
     * the caller records them with {@link #putMeta} once its store has opened.
     *
     * @throws IndexerException naming what differs and the way out
     */
    public synchronized void checkSettings(String collection, Map<String, String> settings) {
        Map<String, String> meta = meta();
        List<String> differences = settings.entrySet().stream()
                .filter(e -> meta.get(e.getKey()) != null && !meta.get(e.getKey()).equals(e.getValue()))
                .map(e -> e.getKey() + " " + meta.get(e.getKey()) + " (not " + e.getValue() + ")").toList();
        String recorded = meta.get("chunker");
        String wanted = settings.get("chunker");
        if (recorded != null && wanted != null && kind(recorded).equals(kind(wanted))
                && rules(recorded) > rules(wanted)) {
            // An older indexer must neither rebuild nor add to what a newer one made.
            throw new IndexerException("Collection '" + collection + "' was cut into chunks by a newer version of the"
                    + " indexer (" + recorded + "; this version makes " + wanted + "); use that version, or rerun"
                    + " with --reindex to rebuild it with this one.");
        }
        Optional<String> outdated = outdatedChunker(settings);
        if (outdated.isPresent()) {
            // No option brings the old rules back: only a rebuild helps.
            throw new IndexerException("Collection '" + collection + "' was cut into chunks by an earlier version of"
                    + " the indexer (" + outdated.get() + "; this version makes " + settings.get("chunker")
                    + "); rerun with --reindex to rebuild it.");
        }
        if (!differences.isEmpty()) {
            throw new IndexerException("Collection '" + collection + "' was built with " + String.join(", ", differences)
                    + "; rerun with the settings it was built with, or with --reindex to rebuild it from scratch.");
        }
    }

    /**
     * The recorded chunker version, if it is the only setting that differs from {@code settings}
     * and of the same kind and not newer: chunks cut by an earlier version of the same chunker.
     */
    public synchronized Optional<String> outdatedChunker(Map<String, String> settings) {
        Map<String, String> meta = meta();
        String recorded = meta.get("chunker");
        String wanted = settings.get("chunker");
        if (recorded == null || wanted == null || recorded.equals(wanted) || !kind(recorded).equals(kind(wanted))
                || rules(recorded) > rules(wanted)) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String value = meta.get(e.getKey());
            if (!e.getKey().equals("chunker") && value != null && !value.equals(e.getValue())) {
                return Optional.empty();
            }
        }
        return Optional.of(recorded);
    }

    /** The kind of a chunker version, {@code syntax} of {@code syntax-4/128}. */
    private static String kind(String chunkerVersion) {
        int dash = chunkerVersion.indexOf('-');
        return dash < 0 ? chunkerVersion : chunkerVersion.substring(0, dash);
    }

    /** The rules' number of a chunker version, 4 of {@code syntax-4/128}; -1 if it has none. */
    private static int rules(String chunkerVersion) {
        Matcher number = RULES.matcher(chunkerVersion);
        return number.lookingAt() ? Integer.parseInt(number.group(1)) : -1;
    }

    /** Starts a run: returns its number, one more than the last. */
    public synchronized long startRun() {
        long run = Long.parseLong(meta().getOrDefault("run", "0")) + 1;
        putMeta(Map.of("run", Long.toString(run)));
        return run;
    }

    public synchronized Optional<FileRecord> get(String path) {
        try {
            lookup.setString(1, path);
            try (ResultSet row = lookup.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                String hashes = row.getString(5);
                return Optional.of(new FileRecord(path, row.getLong(1), row.getLong(2), row.getString(3),
                        row.getString(4), hashes.isEmpty() ? List.of() : Arrays.asList(hashes.split(" ")),
                        row.getInt(6), row.getInt(7), row.getInt(8)));
            }
        } catch (SQLException e) {
            throw failed("read", e);
        }
    }

    /** Marks files as met by the walk of {@code run}, so they are not taken for deleted. */
    public synchronized void markSeen(Collection<String> paths, long run) {
        batch("UPDATE files SET seen_run = ? WHERE path = ?", paths, (mark, path) -> {
            mark.setLong(1, run);
            mark.setString(2, path);
        });
    }

    /**
     * Records processed files and forgets removed ones, in one transaction. Call only after the
     * store has committed the chunks these rows describe.
     */
    public synchronized void record(Collection<FileRecord> files, Collection<String> removed, long run) {
        if (files.isEmpty() && removed.isEmpty()) {
            return;
        }
        try (PreparedStatement put = connection.prepareStatement("""
                INSERT INTO files (path, size, mtime, hash, status, chunk_hashes, seen_run, pending, priority,
                  words_only)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, hash = excluded.hash,
                  status = excluded.status, chunk_hashes = excluded.chunk_hashes, seen_run = excluded.seen_run,
                  pending = excluded.pending, priority = excluded.priority, words_only = excluded.words_only""");
                PreparedStatement delete = connection.prepareStatement("DELETE FROM files WHERE path = ?")) {
            for (FileRecord f : files) {
                put.setString(1, f.path());
                put.setLong(2, f.size());
                put.setLong(3, f.modifiedMillis());
                put.setString(4, f.hash());
                put.setString(5, f.status());
                put.setString(6, String.join(" ", f.chunkHashes()));
                put.setLong(7, run);
                put.setInt(8, f.pending());
                put.setInt(9, f.priority());
                put.setInt(10, f.wordsOnly());
                put.addBatch();
            }
            for (String path : removed) {
                delete.setString(1, path);
                delete.addBatch();
            }
            put.executeBatch();
            delete.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            throw rollback("write", e);
        }
    }

    /** Forgets these files: the next run takes them for new. */
    public void forget(Collection<String> paths) {
        record(List.of(), paths, 0);
    }

    /**
     * Forgets every file, keeping the settings: for when the store turned out to hold none of them
     * (a Qdrant collection deleted or a new server), so that the next run indexes everything.
     */
    public synchronized void forgetFiles() {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM files");
            connection.commit();
        } catch (SQLException e) {
            throw rollback("reset", e);
        }
    }

    /**
     * Makes the next run read every indexed file again, as if its content had changed, keeping
     * what it knows of its chunks: unchanged chunks keep their vectors, and whatever is built from
     * the files' text (the navigation index) is built anew.
     */
    public synchronized void readAgain() {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE files SET size = -1, hash = '' WHERE status = '" + FileRecord.INDEXED + "'");
            connection.commit();
        } catch (SQLException e) {
            throw rollback("reset", e);
        }
    }

    /** Up to {@code limit} files not met by the walk of {@code run}: deleted or now ignored. */
    public synchronized List<String> unseen(long run, int limit) {
        return unseen(run, limit, "");
    }

    /**
     * As {@link #unseen(long, int)}, among the files at or under {@code scope} (a path relative to
     * the root: a file, or a directory and everything under it); "" for all.
     */
    public synchronized List<String> unseen(long run, int limit, String scope) {
        if (scope.isEmpty()) {
            return select("SELECT path FROM files WHERE seen_run < ? ORDER BY path LIMIT ?", row -> row.getString(1),
                    run, limit);
        }
        // '/' sorts right before '0': "dir/" <= everything under dir < "dir0".
        return select("SELECT path FROM files WHERE seen_run < ? AND (path = ? OR (path >= ? AND path < ?))"
                + " ORDER BY path LIMIT ?", row -> row.getString(1), run, scope, scope + "/", scope + "0", limit);
    }

    /**
     * Counts over the whole manifest.
     *
     * @param files every file recorded, indexed or read and skipped
     * @param indexedFiles files whose chunks the store holds
     * @param pendingFiles indexed files with chunks still waiting for their vectors
     * @param pendingChunks chunks still waiting for their vectors (searchable by words, not yet by meaning)
     * @param wordsOnlyChunks chunks of data that get no vector ({@link dev.indexer.chunk.Chunk#isData()})
     */
    public record Totals(long files, long indexedFiles, long chunks, long pendingFiles, long pendingChunks,
            long wordsOnlyChunks) {
        /** Chunks that have their vectors. */
        public long embeddedChunks() {
            return chunks - pendingChunks - wordsOnlyChunks;
        }

        /** Chunks that are embedded or wait to be: all but the data. */
        public long chunksToEmbed() {
            return chunks - wordsOnlyChunks;
        }
    }

    public synchronized Totals totals() {
        String pending = (phased ? "COALESCE(SUM(pending > 0), 0), COALESCE(SUM(pending), 0)" : "0, 0")
                + (countsData ? ", COALESCE(SUM(words_only), 0)" : ", 0");
        try (Statement s = connection.createStatement();
                ResultSet row = s.executeQuery("""
                        SELECT COUNT(*),
                               COALESCE(SUM(status = 'indexed'), 0),
                               COALESCE(SUM(CASE WHEN chunk_hashes = '' THEN 0
                                    ELSE LENGTH(chunk_hashes) - LENGTH(REPLACE(chunk_hashes, ' ', '')) + 1 END), 0),
                               """ + pending + " FROM files")) {
            row.next();
            return new Totals(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5),
                    row.getLong(6));
        } catch (SQLException e) {
            throw failed("read", e);
        }
    }

    /** A file with chunks still waiting for their vectors, and its place in the embedding order. */
    public record Pending(String path, int chunks, int priority) {}

    /**
     * Up to {@code limit} files with chunks waiting for vectors, in embedding order (priority, then
     * path), after {@code after} (null to start).
     */
    public synchronized List<Pending> pending(Pending after, int limit) {
        if (!phased) {
            return List.of();
        }
        Row<Pending> row = r -> new Pending(r.getString(1), r.getInt(2), r.getInt(3));
        return after == null
                ? select("SELECT path, pending, priority FROM files WHERE pending > 0 ORDER BY priority, path LIMIT ?",
                        row, limit)
                : select("SELECT path, pending, priority FROM files WHERE pending > 0 AND (priority, path) > (?, ?)"
                        + " ORDER BY priority, path LIMIT ?", row, after.priority(), after.path(), limit);
    }

    /**
     * Records that these files' chunks all have their vectors now, but for the given number of each
     * file's that are data and get none. Call only after the store has committed the vectors.
     */
    public synchronized void markEmbedded(Map<String, Integer> wordsOnly) {
        if (!countsData) {
            batch("UPDATE files SET pending = 0 WHERE path = ?", wordsOnly.keySet(),
                    (mark, path) -> mark.setString(1, path));
            return;
        }
        batch("UPDATE files SET pending = 0, words_only = ? WHERE path = ?", wordsOnly.entrySet(), (mark, file) -> {
            mark.setInt(1, file.getValue());
            mark.setString(2, file.getKey());
        });
    }

    /**
     * A staging table for what the store holds, to be read back file by file ({@link StoredFiles});
     * for the single thread that opens a collection, before any run uses this manifest.
     */
    public synchronized StoredFiles storedFiles() {
        return new StoredFiles(this, connection);
    }

    /** Every indexed file's path and chunk count, for consistency checks against the store. */
    public synchronized Map<String, Integer> chunkCounts() {
        Map<String, Integer> counts = new HashMap<>();
        select("SELECT path, chunk_hashes FROM files WHERE status = 'indexed'", row -> counts.put(row.getString(1),
                row.getString(2).isEmpty() ? 0 : row.getString(2).split(" ").length));
        return counts;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lookup.close();
            connection.close();
        } catch (SQLException e) {
            throw failed("close", e);
        }
    }

    private IndexerException rollback(String what, SQLException e) {
        try {
            connection.rollback();
        } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
        }
        return failed(what, e);
    }

    IndexerException failure(String what, SQLException e) {
        return rollback(what, e);
    }

    private IndexerException failed(String what, SQLException e) {
        return new IndexerException("Could not " + what + " the manifest " + file + " (" + e.getMessage()
                + "); check free disk space, or rebuild the collection with --reindex.", e);
    }
}
