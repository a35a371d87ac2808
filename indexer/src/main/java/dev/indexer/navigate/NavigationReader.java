package dev.indexer.navigate;

import dev.indexer.IndexerException;
import dev.indexer.chunk.FileChunker;
import dev.indexer.chunk.Language;
import dev.indexer.chunk.Symbol;
import dev.indexer.chunk.syntax.SyntaxLanguage;
import dev.indexer.lexical.Searchers;
import dev.indexer.redact.SecretRedactor;
import dev.indexer.navigate.Navigation.Entry;
import dev.indexer.navigate.Navigation.FileReferences;
import dev.indexer.navigate.Navigation.Found;
import dev.indexer.navigate.Navigation.Outline;
import dev.indexer.navigate.Navigation.Reference;
import dev.indexer.navigate.Navigation.ReferencePage;
import dev.indexer.store.Landing;
import dev.indexer.store.PathGlob;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * Answers definitions, outlines and references from a collection's navigation index, and from
 * the files themselves where only they can say (a reference's line, a file changed since it was
 * indexed). Safe for many threads; each lookup sees the newest commit. Bad input is an
 * {@link IllegalArgumentException} whose message names the rule.
 */
public final class NavigationReader implements AutoCloseable {
    private static final Sort BY_PATH = NavigationDocs.BY_PATH;
    /** Files with a hit's text that the hit names, at most: a search reads this many documents for each. */
    static final int SAME_TEXT_NAMED = 20;

    private final Path root;
    private final Directory directory;
    private final Searchers searchers;

    private NavigationReader(Path root, Directory directory, Searchers searchers) {
        this.root = root;
        this.directory = directory;
        this.searchers = searchers;
    }

    /** Whether the collection in {@code collectionDir} has a navigation index on this machine: one stat. */
    public static boolean present(Path collectionDir) {
        return Files.isDirectory(collectionDir.resolve(NavigationWriter.DIR_NAME));
    }

    /**
     * Opens the navigation index of the collection in {@code collectionDir}, whose files are below
     * {@code root}; empty if it has none (a collection indexed by an earlier version, or elsewhere).
     */
    public static Optional<NavigationReader> open(Path collectionDir, Path root) {
        Path dir = collectionDir.resolve(NavigationWriter.DIR_NAME);
        if (!present(collectionDir)) {
            return Optional.empty();
        }
        Directory directory = null;
        try {
            directory = new MMapDirectory(dir);
            if (!DirectoryReader.indexExists(directory)) {
                directory.close();
                return Optional.empty();
            }
            return Optional.of(new NavigationReader(root, directory, new Searchers(directory)));
        } catch (IOException e) {
            if (directory != null) {
                try {
                    directory.close();
                } catch (IOException ignored) {
                    // it failed to open
                }
            }
            throw new IndexerException("Could not read the navigation index in " + dir + " (" + e.getMessage()
                    + "); rerun indexer index to build it again.", e);
        }
    }

    // ---- definitions

    /**
     * Definitions by name: {@code resize}, {@code HashMap.resize}, {@code java.util.HashMap#resize},
     * {@code pkg.module.func}, {@code Type::method}, a prefix ({@code resi}) or camel humps ({@code
     * HM.res}), case ignored. Exact qualified matches first, then exact names, then the rest
     * (shorter names first).
     *
     * @param kind only this kind (see {@link Symbol#KINDS}); empty for all
     * @param language only this language; empty for all
     * @param path only files this glob matches; empty for all
     */
    public List<Found> find(String query, Optional<String> kind, Optional<String> language, Optional<PathGlob> path,
            int limit) {
        List<String> parts = SymbolSearch.queryParts(query);
        Navigation.checkLimit("limit", limit);
        kind.ifPresent(SymbolSearch::checkKind);
        return withSearcher(searcher -> SymbolSearch.find(searcher, parts, kind, language, path, limit));
    }

    /** Checks a definition query before anything opens; a broken rule is an {@link IllegalArgumentException}. */
    public static void checkQuery(String query) {
        SymbolSearch.queryParts(query);
    }

    // ---- outlines

    /**
     * A file's definitions, nested: from the index, or from the file itself when it changed since
     * it was indexed.
     *
     * @param path below the root, or absolute inside it
     */
    public Outline outline(String path) {
        String relative = relative(path);
        return withSearcher(searcher -> {
            StoredFields fields = searcher.storedFields();
            Document doc = fileDocument(searcher, fields, relative).orElseThrow(() -> new IllegalArgumentException(
                    "'" + relative + "' is not an indexed file of this collection (paths are relative to " + root + ")"));
            String language = doc.get(NavigationDocs.LANGUAGE);
            Path onDisk = root.resolve(relative);
            List<Symbol> symbols;
            boolean reread = changed(doc, onDisk);
            if (reread) {
                symbols = parse(onDisk, relative, language);
            } else {
                symbols = symbolsOf(searcher, fields, relative);
            }
            return new Outline(relative, language, reread, nest(symbols));
        });
    }

    /**
     * A file's definitions and its lines as they are now, for search hits to land on
     * ({@link Landing}); empty when the file is not indexed, is gone, or is too large to have been
     * parsed.
     *
     * @param relative the path below the root, as hits give it
     */
    public Optional<Landing.FileDefinitions> definitions(String relative) {
        Optional<Path> file = inTree(relative);
        if (file.isEmpty()) {
            return Optional.empty(); // a name this locale cannot spell, or outside the tree: the hit stays
        }
        Path onDisk = file.get();
        return withSearcher(searcher -> {
            StoredFields fields = searcher.storedFields();
            Optional<Document> found = fileDocument(searcher, fields, relative);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Document doc = found.get();
            try {
                BasicFileAttributes now = Files.readAttributes(onDisk, BasicFileAttributes.class);
                if (now.size() > FileChunker.SYNTAX_MAX_BYTES) {
                    return Optional.empty();
                }
                List<String> lines = lines(onDisk, relative);
                boolean changed = changed(doc, onDisk, now);
                List<Symbol> symbols = changed ? parsed(lines, doc.get(NavigationDocs.LANGUAGE))
                        : NavigationDocs.callables(doc).orElseGet(() -> uncheckedSymbolsOf(searcher, fields, relative));
                // A file changed since it was indexed has another text than its hash says: no copies named.
                List<String> same = changed ? List.of() : sameText(searcher, fields, doc, relative);
                return Optional.of(new Landing.FileDefinitions(symbols, lines, same));
            } catch (IOException e) {
                return Optional.empty(); // gone or unreadable since: the hits stay as they are
            }
        });
    }

    /** Bytes {@link #onDisk} hashes at most in one look (files touched with their bytes unchanged). */
    static final long ON_DISK_HASH_BYTES = 4L << 20;

    /** How an indexed file is on disk now, against what the index holds of it. */
    public enum OnDisk {
        /** The bytes that were indexed (the same size and time, or the same hash). */
        AS_INDEXED,
        /** Other bytes: a hit's lines may have moved or gone. */
        CHANGED,
        /** No file there any more. */
        DELETED
    }

    /**
     * Whether each indexed file of {@code paths} is on disk as it was indexed: a stat, and the
     * file's hash only where its time changed and its size did not (a checkout that touched it);
     * a path is left out where this index does not know the file or the disk cannot say. One look
     * at the index for all of them (a search's files).
     */
    public Map<String, OnDisk> onDisk(Collection<String> paths) {
        return onDisk(paths, ON_DISK_HASH_BYTES);
    }

    /** {@link #onDisk(Collection)}, hashing at most {@code hashBytes} of touched files. */
    Map<String, OnDisk> onDisk(Collection<String> paths, long hashBytes) {
        return withSearcher(searcher -> {
            StoredFields fields = searcher.storedFields();
            Map<String, OnDisk> states = new HashMap<>();
            // A file touched with its bytes the same is hashed until a run records its new time (a
            // server at once; the command line at its next run): at most this much a look.
            long hashable = hashBytes;
            for (String relative : paths) {
                Optional<Path> file = inTree(relative);
                Optional<Document> found = file.isEmpty() ? Optional.empty() : fileDocument(searcher, fields, relative);
                if (found.isEmpty()) {
                    continue;
                }
                Path onDisk = file.get();
                try {
                    BasicFileAttributes now = Files.readAttributes(onDisk, BasicFileAttributes.class);
                    if (needsHash(found.get(), now)) {
                        if (now.size() > hashable) {
                            continue; // touched, and over what is left to hash: nothing said of it
                        }
                        hashable -= now.size();
                    }
                    states.put(relative, changed(found.get(), onDisk, now) ? OnDisk.CHANGED : OnDisk.AS_INDEXED);
                } catch (java.nio.file.NoSuchFileException e) {
                    states.put(relative, OnDisk.DELETED);
                } catch (IOException e) {
                    // unreadable now: nothing to say
                }
            }
            return states;
        });
    }

    /**
     * The other indexed files whose content is byte for byte that of {@code file} (its hash), and
     * unchanged on disk since (else they may differ now), in path order, at most {@link
     * #SAME_TEXT_NAMED}: a vendored copy, an alias module, a generated twin. Files indexed before
     * the hash was kept have none.
     */
    private List<String> sameText(IndexSearcher searcher, StoredFields fields, Document file, String relative)
            throws IOException {
        String hash = file.get(NavigationDocs.CONTENT);
        if (hash == null) {
            return List.of();
        }
        Query query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(NavigationDocs.CONTENT, hash)), Occur.FILTER)
                .add(new TermQuery(new Term(NavigationDocs.TYPE, NavigationDocs.FILE)), Occur.FILTER).build();
        List<String> same = new ArrayList<>();
        for (ScoreDoc hit : searcher.search(query, SAME_TEXT_NAMED + 1, BY_PATH).scoreDocs) {
            Document other = fileAt(searcher, fields, hit.doc);
            String path = other.get(NavigationDocs.PATH);
            if (!path.equals(relative) && same.size() < SAME_TEXT_NAMED && unchanged(other, path)) {
                same.add(path);
            }
        }
        return same;
    }

    /** Whether the indexed file {@code file} at {@code relative} is on disk as it was indexed. */
    private boolean unchanged(Document file, String relative) {
        Optional<Path> onDisk = inTree(relative);
        try {
            return onDisk.isPresent()
                    && !changed(file, onDisk.get(), Files.readAttributes(onDisk.get(), BasicFileAttributes.class));
        } catch (IOException e) {
            return false; // gone or unreadable: not named
        }
    }

    /** The file at {@code relative} below the root; empty if it cannot be a path here or lies outside the tree. */
    private Optional<Path> inTree(String relative) {
        try {
            Path onDisk = root.resolve(relative).normalize();
            return onDisk.startsWith(root) ? Optional.of(onDisk) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** The document of the indexed file at {@code relative}; empty if it is not indexed. */
    private static Optional<Document> fileDocument(IndexSearcher searcher, StoredFields fields, String relative)
            throws IOException {
        TopFieldDocs file = searcher.search(fileQuery(relative), 1, BY_PATH);
        return file.scoreDocs.length == 0 ? Optional.empty()
                : Optional.of(fileAt(searcher, fields, file.scoreDocs[0].doc));
    }

    /**
     * A file's document with the time it was last seen with the bytes indexed: the stored time, or
     * the one a later run recorded when it found the file touched ({@link NavigationWriter#touched}).
     */
    private static Document fileAt(IndexSearcher searcher, StoredFields fields, int doc) throws IOException {
        Document file = fields.document(doc);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        NumericDocValues seen = leaf.reader().getNumericDocValues(NavigationDocs.MTIME_SEEN);
        if (seen != null && seen.advanceExact(doc - leaf.docBase)) {
            file.removeField(NavigationDocs.MTIME);
            file.add(new StoredField(NavigationDocs.MTIME, seen.longValue()));
        }
        return file;
    }

    private static boolean changed(Document file, Path onDisk) {
        try {
            return changed(file, onDisk, Files.readAttributes(onDisk, BasicFileAttributes.class));
        } catch (IOException e) {
            return false; // gone: what the index knows is all there is
        }
    }

    /** Whether {@link #changed} must hash the file to tell: its size as indexed, its time not. */
    private static boolean needsHash(Document file, BasicFileAttributes now) {
        return now.size() == file.getField(NavigationDocs.SIZE).numericValue().longValue()
                && now.lastModifiedTime().toMillis() != file.getField(NavigationDocs.MTIME).numericValue().longValue();
    }

    /**
     * Whether the file on disk may differ from the file as indexed: another size, or another time
     * and bytes whose hash is not the one indexed (a file touched since, as a checkout or a copy
     * that does not keep times leaves it, is read for its hash once per lookup until a run records
     * its new time).
     */
    private static boolean changed(Document file, Path onDisk, BasicFileAttributes now) throws IOException {
        if (now.size() != file.getField(NavigationDocs.SIZE).numericValue().longValue()) {
            return true;
        }
        if (now.lastModifiedTime().toMillis() == file.getField(NavigationDocs.MTIME).numericValue().longValue()) {
            return false;
        }
        String hash = file.get(NavigationDocs.CONTENT);
        return hash == null || !hash.equals(sha256(onDisk));
    }

    /** The SHA-256 of a file's bytes, in lower-case hex: how the manifest and this index name content. */
    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The definitions of a file parsed now; none if it is too large to parse or has no grammar. */
    private static List<Symbol> parse(Path file, String path, String language) throws IOException {
        if (SyntaxLanguage.of(language).isEmpty() || Files.size(file) > FileChunker.SYNTAX_MAX_BYTES) {
            return List.of();
        }
        return parsed(lines(file, path), language);
    }

    /** The definitions in these lines of a file in {@code language}; none without a grammar for it. */
    private static List<Symbol> parsed(List<String> lines, String language) {
        return SyntaxLanguage.of(language).map(syntax -> syntax.symbols(lines)).orElse(List.of());
    }

    /** The file's lines with their secrets taken out, as the chunker reads them: signatures are shown. */
    private static List<String> lines(Path file, String path) throws IOException {
        SecretRedactor redactor = new SecretRedactor(path);
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = reader(file)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(redactor.redact(line));
            }
        }
        return lines;
    }

    private static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)));
    }

    /** Nests definitions by their names and spans: an entry holds those its span holds whose containers end with it. */
    static List<Entry> nest(List<Symbol> symbols) {
        record Open(Symbol symbol, List<Entry> children) {}
        List<Entry> top = new ArrayList<>();
        List<Open> stack = new ArrayList<>();
        List<Symbol> ordered = symbols.stream().sorted(Comparator.comparingInt(Symbol::startLine)).toList();
        for (Symbol symbol : ordered) {
            while (!stack.isEmpty() && !holds(stack.get(stack.size() - 1).symbol(), symbol)) {
                stack.remove(stack.size() - 1);
            }
            List<Entry> children = new ArrayList<>();
            (stack.isEmpty() ? top : stack.get(stack.size() - 1).children()).add(new Entry(symbol, children));
            stack.add(new Open(symbol, children));
        }
        return top;
    }

    private static boolean holds(Symbol outer, Symbol inner) {
        List<String> chain = new ArrayList<>(outer.containers());
        chain.add(outer.name());
        return inner.startLine() >= outer.startLine() && inner.endLine() <= outer.endLine()
                && inner.containers().size() >= chain.size() && inner.containers().subList(0, chain.size()).equals(chain);
    }

    private static List<Symbol> uncheckedSymbolsOf(IndexSearcher searcher, StoredFields fields, String path) {
        try {
            return symbolsOf(searcher, fields, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Symbol> symbolsOf(IndexSearcher searcher, StoredFields fields, String path) throws IOException {
        Query query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(NavigationDocs.PATH, path)), Occur.FILTER)
                .add(new TermQuery(new Term(NavigationDocs.TYPE, NavigationDocs.SYMBOL)), Occur.FILTER).build();
        // A file's documents are added together, in its order: doc ids keep it. (A sorted search for
        // "all of them" would size its queue by the whole index.)
        TopDocs top = searcher.search(query, Math.max(1, searcher.count(query)));
        List<Symbol> symbols = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
            symbols.add(NavigationDocs.symbol(fields.document(hit.doc)));
        }
        return symbols;
    }

    private static Query fileQuery(String path) {
        return new BooleanQuery.Builder().add(new TermQuery(new Term(NavigationDocs.PATH, path)), Occur.FILTER)
                .add(new TermQuery(new Term(NavigationDocs.TYPE, NavigationDocs.FILE)), Occur.FILTER).build();
    }

    /** A path below the root, from one given relative to it or absolute inside it. */
    private String relative(String path) {
        String p = path == null ? "" : path.strip();
        if (p.isEmpty()) {
            throw new IllegalArgumentException("the path is empty: give a file's path relative to " + root);
        }
        Path given;
        try {
            given = Path.of(p.replace('\\', '/'));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + p + "' cannot be a path here (" + e.getReason() + ")");
        }
        Path resolved = (given.isAbsolute() ? given : root.resolve(given)).normalize();
        if (!resolved.startsWith(root)) {
            throw new IllegalArgumentException("'" + p + "' is outside the collection's root " + root);
        }
        String relative = root.relativize(resolved).toString().replace('\\', '/');
        if (relative.isEmpty()) {
            throw new IllegalArgumentException("'" + p + "' is the root itself; give a file below it");
        }
        return relative;
    }

    // ---- references

    /**
     * A page of the lines where {@code name} occurs as a whole identifier, case sensitive, grouped
     * by file in path order, each with the definition around it. Complete: every file that holds
     * the name is found by the index, and its lines are read from the file as it is now.
     *
     * @param cursor where the page starts: empty for the first, else the previous page's {@code next}
     * @param path only files this glob matches; empty for all
     * @param limit the most lines on the page
     */
    public ReferencePage references(String name, Optional<PathGlob> path, Optional<String> cursor, int limit) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) {
            throw new IllegalArgumentException("the name is empty: give one identifier, such as checkIndex");
        }
        if (n.length() > Navigation.MAX_NAME_CHARS) {
            throw new IllegalArgumentException("the name is " + n.length() + " characters long; at most "
                    + Navigation.MAX_NAME_CHARS + " are taken");
        }
        if (!WordChars.isIdentifier(n)) {
            throw new IllegalArgumentException("'" + n + "' is not one identifier: a reference name is letters, digits"
                    + " and '_' only (no spaces, dots or regular expressions); look up a qualified name with find_symbol (indexer symbols)");
        }
        Navigation.checkLimit("limit", limit);
        Position from = cursor.map(Position::decode).orElse(Position.START);
        return withSearcher(searcher -> {
            BooleanQuery.Builder files = new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(NavigationDocs.WORDS, n)), Occur.FILTER)
                    .add(new TermQuery(new Term(NavigationDocs.TYPE, NavigationDocs.FILE)), Occur.FILTER);
            path.ifPresent(glob -> files.add(new RegexpQuery(new Term(NavigationDocs.PATH, glob.luceneRegexp())),
                    Occur.FILTER));
            Query all = files.build();
            long total = searcher.count(all);
            List<FileReferences> byFile = new ArrayList<>();
            int lines = 0;
            // The page starts at the cursor's file: files sort by path, then by doc id (any is after -1).
            FieldDoc after = from.path().isEmpty() ? null
                    : new FieldDoc(-1, Float.NaN, new Object[] {new BytesRef(from.path()), -1});
            while (true) {
                TopFieldDocs top = after == null ? searcher.search(all, 32, BY_PATH)
                        : (TopFieldDocs) searcher.searchAfter(after, all, 32, BY_PATH);
                for (ScoreDoc hit : top.scoreDocs) {
                    String file = ((BytesRef) ((FieldDoc) hit).fields[0]).utf8ToString();
                    int startAfter = file.equals(from.path()) ? from.line() : 0;
                    List<Reference> found = new ArrayList<>();
                    int[] last = {0};
                    boolean full = LineScan.scan(root.resolve(file), file, n, startAfter, limit - lines, found, last);
                    if (!found.isEmpty()) {
                        byFile.add(new FileReferences(file, Language.of(file), Enclosing.of(searcher, file, found)));
                        lines += found.size();
                    }
                    if (full) {
                        return new ReferencePage(n, total, byFile,
                                Optional.of(new Position(file, last[0]).encode()));
                    }
                }
                if (top.scoreDocs.length < 32) {
                    return new ReferencePage(n, total, byFile, Optional.empty());
                }
                after = (FieldDoc) top.scoreDocs[top.scoreDocs.length - 1];
            }
        });
    }

    /** Where a page of references starts: after this line of this file. */
    record Position(String path, int line) {
        static final Position START = new Position("", 0);

        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((line + ":" + path).getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                int line = Integer.parseInt(text.substring(0, colon));
                String path = text.substring(colon + 1);
                if (line < 0 || path.isEmpty()) {
                    throw new IllegalArgumentException("bad cursor");
                }
                return new Position(path, line);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + cursor + "' is not a cursor this collection gave; pass the"
                        + " 'next' of the previous page, or none for the first");
            }
        }
    }

    // ---- plumbing

    private <T> T withSearcher(Searchers.Read<T> read) {
        try {
            return searchers.withNewest(read);
        } catch (IOException e) {
            throw new IndexerException("Could not read the navigation index (" + e.getMessage()
                    + "); rerun indexer index to build it again.", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            searchers.close();
            directory.close();
        } catch (IOException e) {
            // nothing to keep
        }
    }
}
