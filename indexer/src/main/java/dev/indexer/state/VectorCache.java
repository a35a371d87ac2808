package dev.indexer.state;

import dev.indexer.IndexerException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Vectors already computed, by model and exact embedded text, shared by every collection of an
 * index home: a branch switched back and forth, a {@code --reindex} with the same model, a
 * collection dropped and made again, or a second checkout of the same repository embeds nothing it
 * embedded before. The key is SHA-256 of the model's id and the text, so an entry is never taken
 * for another text or another model. Bounded in bytes: past the bound, the entries used longest
 * ago go (LRU). SQLite in WAL mode: several processes may use it at once.
 *
 * <p>Methods are synchronized: one connection per instance.
 */
public final class VectorCache implements AutoCloseable {
    public static final String FILE_NAME = "vectors.db";
    /** Bytes an entry takes besides its vector: key, columns, B-tree. */
    private static final int ENTRY_OVERHEAD = 80;
    private static final int KEYS_PER_QUERY = 400;

    private final Path file;
    private final Connection connection;
    private final long maxBytes;
    private boolean closed;

    private VectorCache(Path file, Connection connection, long maxBytes) {
        this.file = file;
        this.connection = connection;
        this.maxBytes = maxBytes;
    }

    /**
     * Opens (creating if needed) the cache in {@code file}, bounded to {@code maxBytes}.
     *
     * @throws IndexerException if it cannot be opened
     */
    public static VectorCache open(Path file, long maxBytes) {
        try {
            Files.createDirectories(file.getParent());
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                // A lost entry costs one embedding: no fsync per transaction.
                s.execute("PRAGMA synchronous=OFF");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL,"
                        + " used INTEGER NOT NULL) WITHOUT ROWID");
                s.execute("CREATE INDEX IF NOT EXISTS vectors_used ON vectors (used)");
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
                s.execute("INSERT OR IGNORE INTO meta VALUES ('bytes', 0), ('clock', 0)");
            }
            connection.setAutoCommit(false);
            connection.commit();
            return new VectorCache(file, connection, maxBytes);
        } catch (Exception e) {
            throw new IndexerException("Could not open the vector cache " + file + " (" + e.getMessage()
                    + "); delete it (it holds nothing that cannot be computed again) or give --vector-cache 0.", e);
        }
    }

    /** The key of a text's vector for a model: SHA-256 of both. */
    static byte[] key(String model, String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(model.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(text.getBytes(StandardCharsets.UTF_8));
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The cached vectors of these texts, by text; texts not in the cache are left out. */
    public synchronized Map<String, float[]> get(String model, Collection<String> texts) {
        Map<String, float[]> found = new HashMap<>();
        if (texts.isEmpty()) {
            return found;
        }
        Map<ByteBuffer, String> byKey = new LinkedHashMap<>();
        texts.forEach(text -> byKey.put(ByteBuffer.wrap(key(model, text)), text));
        List<ByteBuffer> keys = new ArrayList<>(byKey.keySet());
        List<byte[]> hits = new ArrayList<>();
        try {
            for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
                List<ByteBuffer> part = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT key, vector FROM vectors WHERE key IN (" + "?,".repeat(part.size() - 1) + "?)")) {
                    for (int i = 0; i < part.size(); i++) {
                        select.setBytes(i + 1, part.get(i).array());
                    }
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            byte[] key = rows.getBytes(1);
                            found.put(byKey.get(ByteBuffer.wrap(key)), decode(rows.getBytes(2)));
                            hits.add(key);
                        }
                    }
                }
            }
            touch(hits);
            connection.commit();
            return found;
        } catch (SQLException e) {
            throw rollback("read", e);
        }
    }

    /** Keeps these vectors, by their texts; then trims the cache to its bound, oldest first. */
    public synchronized void put(String model, Map<String, float[]> vectors) {
        if (vectors.isEmpty() || maxBytes <= 0) {
            return;
        }
        try {
            long clock = tick();
            long added = 0;
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO vectors (key, vector, used) VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING")) {
                for (Map.Entry<String, float[]> e : vectors.entrySet()) {
                    insert.setBytes(1, key(model, e.getKey()));
                    insert.setBytes(2, encode(e.getValue()));
                    insert.setLong(3, clock);
                    insert.addBatch();
                }
                added = Arrays.stream(insert.executeBatch()).filter(inserted -> inserted > 0).count();
            }
            long entryBytes = ENTRY_OVERHEAD + 4L * vectors.values().iterator().next().length;
            long bytes = addBytes(added * entryBytes);
            if (bytes > maxBytes) {
                // Down to nine tenths, so that trimming happens now and then, not on every put.
                long excess = (bytes - maxBytes * 9 / 10 + entryBytes - 1) / entryBytes;
                try (PreparedStatement trim = connection.prepareStatement(
                        "DELETE FROM vectors WHERE key IN (SELECT key FROM vectors ORDER BY used LIMIT ?)")) {
                    trim.setLong(1, excess);
                    addBytes(-trim.executeUpdate() * entryBytes);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw rollback("write", e);
        }
    }

    /** Bytes the cache takes, as it counts them. */
    public synchronized long bytes() {
        try (Statement s = connection.createStatement();
                ResultSet row = s.executeQuery("SELECT value FROM meta WHERE key = 'bytes'")) {
            return row.next() ? row.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IndexerException("Could not read the vector cache " + file + " (" + e.getMessage() + ").", e);
        }
    }

    private void touch(List<byte[]> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        long clock = tick();
        try (PreparedStatement update = connection.prepareStatement("UPDATE vectors SET used = ? WHERE key = ?")) {
            for (byte[] key : keys) {
                update.setLong(1, clock);
                update.setBytes(2, key);
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /** The next value of the cache's clock, which orders uses across processes. */
    private long tick() throws SQLException {
        return updateMeta("clock", "value + 1");
    }

    private long addBytes(long delta) throws SQLException {
        return updateMeta("bytes", "MAX(0, value + (" + delta + "))");
    }

    /** Sets a counter of the meta table to {@code value} (an expression of its old value); returns the new one. */
    private long updateMeta(String key, String value) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("UPDATE meta SET value = " + value + " WHERE key = '" + key + "'");
            try (ResultSet row = s.executeQuery("SELECT value FROM meta WHERE key = '" + key + "'")) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static byte[] encode(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * vector.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return bytes.array();
    }

    private static float[] decode(byte[] bytes) {
        float[] vector = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IndexerException("Could not close the vector cache " + file + " (" + e.getMessage() + ").", e);
        }
    }

    private IndexerException rollback(String what, SQLException e) {
        try {
            connection.rollback();
        } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
        }
        return new IndexerException("Could not " + what + " the vector cache " + file + " (" + e.getMessage()
                + "); delete it (it holds nothing that cannot be computed again) or give --vector-cache 0.", e);
    }
}
