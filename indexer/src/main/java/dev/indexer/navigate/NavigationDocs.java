package dev.indexer.navigate;

import dev.indexer.chunk.Symbol;
import dev.indexer.store.Landing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.util.CharTokenizer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.util.BytesRef;

/**
 * How files and their definitions are Lucene documents in the navigation index. Each indexed file
 * is one document, with every identifier in it (case kept, so the candidates of a reference search
 * are exactly the files that hold the name); each definition is one more, found by its name in lower
 * case, by its camel humps, by every dotted tail of its qualified name, and by its owner's name.
 * All of a file's documents share its path, so replacing or deleting a file is one term.
 */
final class NavigationDocs {
    static final String TYPE = "type";
    static final String FILE = "file";
    static final String SYMBOL = "symbol";
    static final String PATH = "path";
    /** The path as doc values: files and definitions come back in path order. */
    static final String PATH_ORDER = "path_order";
    static final String LANGUAGE = "language";
    static final String WORDS = "words";
    static final String SIZE = "size";
    static final String MTIME = "mtime";
    /**
     * A file's time as doc values too, which a writer can change in place: a rerun that finds the
     * file touched with its bytes the same (a checkout, a copy) records the new time there, and
     * lookups take that over the stored one.
     */
    static final String MTIME_SEEN = "mtime_seen";
    /** A file's content hash (SHA-256, as the manifest keeps it): files with the same one have the same text. */
    static final String CONTENT = "content";
    static final String NAME = "name";
    static final String NAME_LC = "name_lc";
    static final String NAME_EXACT = "name_exact";
    static final String NAME_LENGTH = "name_length";
    static final String HUMPS = "humps";
    static final String QUALIFIED = "qualified";
    static final String QUALIFIED_LC = "qualified_lc";
    static final String OWNER_LC = "owner_lc";
    static final String OWNER_HUMPS = "owner_humps";
    static final String KIND = "kind";
    static final String CONTAINERS = "containers";
    static final String START = "start";
    static final String END = "end";
    /** The span as doc values too: the definition around a reference is chosen without reading stored fields. */
    static final String START_LINE = "start_line";
    static final String END_LINE = "end_line";
    static final String SIGNATURE = "signature";
    static final String ORDER = "order";
    /** On a file's document: its functions, methods and constructors in one value, for hits to land on. */
    static final String CALLABLES = "callables";
    private static final String SEPARATOR = "\u001f";
    /** Files and definitions in path order, a file's definitions in the order they were added. */
    static final Sort BY_PATH = new Sort(new SortField(PATH_ORDER, SortField.Type.STRING), SortField.FIELD_DOC);

    /** Words only: positions and frequencies are not needed to tell which files hold a name. */
    private static final FieldType WORDS_TYPE = wordsType();

    private NavigationDocs() {}

    private static FieldType wordsType() {
        FieldType type = new FieldType();
        type.setIndexOptions(IndexOptions.DOCS);
        type.setTokenized(true);
        type.setOmitNorms(true);
        type.freeze();
        return type;
    }

    /** Cuts text into whole identifiers as {@link WordChars} defines them, case kept. */
    static Analyzer wordAnalyzer() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer words = CharTokenizer.fromTokenCharPredicate(WordChars::isWordChar);
                return new TokenStreamComponents(words);
            }
        };
    }

    /**
     * The documents of one file: the file with its words (read from {@code words}, or none when
     * null) and one per definition.
     *
     * @param contentHash the hash of the file's content, for finding the files with the same text;
     *     empty for none
     * @param qualifier what qualifies the file's definitions beyond what the file says (a Python
     *     module's dotted path); empty for none
     */
    static List<Document> documents(String path, String language, long size, long mtime, String contentHash,
            Reader words, List<Symbol> symbols, String qualifier) {
        List<Document> docs = new ArrayList<>(symbols.size() + 1);
        Document file = new Document();
        common(file, FILE, path, language);
        file.add(new StoredField(SIZE, size));
        file.add(new StoredField(MTIME, mtime));
        file.add(new NumericDocValuesField(MTIME_SEEN, mtime));
        if (!contentHash.isEmpty()) {
            file.add(new StringField(CONTENT, contentHash, Field.Store.YES));
        }
        if (words != null) {
            file.add(new Field(WORDS, words, WORDS_TYPE));
        }
        file.add(new StoredField(CALLABLES, callables(symbols)));
        docs.add(file);
        for (int i = 0; i < symbols.size(); i++) {
            docs.add(symbol(path, language, symbols.get(i), i, qualifier));
        }
        return docs;
    }

    private static void common(Document doc, String type, String path, String language) {
        doc.add(new StringField(TYPE, type, Field.Store.NO));
        doc.add(new StringField(PATH, path, Field.Store.YES));
        doc.add(new SortedDocValuesField(PATH_ORDER, new BytesRef(path)));
        doc.add(new StringField(LANGUAGE, language, Field.Store.YES));
    }

    private static Document symbol(String path, String language, Symbol symbol, int order, String qualifier) {
        Document doc = new Document();
        common(doc, SYMBOL, path, language);
        String name = symbol.name();
        doc.add(new StoredField(NAME, name));
        doc.add(new StringField(NAME_EXACT, name, Field.Store.NO));
        doc.add(new StringField(NAME_LC, lower(name), Field.Store.NO));
        doc.add(new NumericDocValuesField(NAME_LENGTH, name.length()));
        doc.add(new StringField(HUMPS, Humps.initials(name), Field.Store.NO));
        String qualified = qualifier.isEmpty() ? symbol.qualifiedName() : qualifier + "." + symbol.qualifiedName();
        doc.add(new StoredField(QUALIFIED, qualified));
        for (String tail : dottedTails(lower(qualified))) {
            doc.add(new StringField(QUALIFIED_LC, tail, Field.Store.NO));
        }
        List<String> containers = symbol.containers();
        if (!containers.isEmpty()) {
            String owner = containers.get(containers.size() - 1);
            doc.add(new StringField(OWNER_LC, lower(owner), Field.Store.NO));
            doc.add(new StringField(OWNER_HUMPS, Humps.initials(owner), Field.Store.NO));
        }
        doc.add(new StringField(KIND, symbol.kind(), Field.Store.YES));
        doc.add(new StoredField(CONTAINERS, String.join(SEPARATOR, containers)));
        doc.add(new StoredField(START, symbol.startLine()));
        doc.add(new StoredField(END, symbol.endLine()));
        doc.add(new NumericDocValuesField(START_LINE, symbol.startLine()));
        doc.add(new NumericDocValuesField(END_LINE, symbol.endLine()));
        doc.add(new StoredField(SIGNATURE, symbol.signature()));
        doc.add(new StoredField(ORDER, order));
        return doc;
    }

    /** {@code a.b.c}: {@code a.b.c}, {@code b.c}; a name alone is found by its own field. */
    static List<String> dottedTails(String qualified) {
        List<String> tails = new ArrayList<>();
        tails.add(qualified);
        for (int dot = qualified.indexOf('.'); dot >= 0; dot = qualified.indexOf('.', dot + 1)) {
            String tail = qualified.substring(dot + 1);
            if (tail.contains(".")) {
                tails.add(tail);
            }
        }
        return tails;
    }

    /** The definition a stored document holds. */
    static Symbol symbol(Document doc) {
        String containers = doc.get(CONTAINERS);
        return new Symbol(doc.get(NAME), doc.get(KIND), doc.get(QUALIFIED),
                containers == null || containers.isEmpty() ? List.of() : List.of(containers.split(SEPARATOR, -1)),
                doc.getField(START).numericValue().intValue(), doc.getField(END).numericValue().intValue(),
                doc.get(SIGNATURE));
    }

    /**
     * A file's callables (name, kind, innermost container, span) in one stored value: a search
     * lands its hits on them reading one document per file instead of one per definition (on the
     * JDK, 1.3 ms a file).
     */
    static byte[] callables(List<Symbol> symbols) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            List<Symbol> callables = symbols.stream().filter(s -> Landing.CALLABLE.contains(s.kind())).toList();
            out.writeInt(callables.size());
            for (Symbol s : callables) {
                writeString(out, s.name());
                writeString(out, s.kind());
                writeString(out, s.containers().isEmpty() ? "" : s.containers().get(s.containers().size() - 1));
                out.writeInt(s.startLine());
                out.writeInt(s.endLine());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * The callables a file's document holds ({@link #callables(List)}): the innermost container is
     * their only one, and they have no qualified name or signature. Empty for a document written
     * by a version before them.
     */
    static Optional<List<Symbol>> callables(Document file) {
        BytesRef value = file.getBinaryValue(CALLABLES);
        if (value == null) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value.bytes, value.offset,
                value.length))) {
            int count = in.readInt();
            List<Symbol> callables = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String name = readString(in);
                String kind = readString(in);
                String container = readString(in);
                int start = in.readInt();
                int end = in.readInt();
                callables.add(new Symbol(name, kind, name, container.isEmpty() ? List.of() : List.of(container), start,
                        end, ""));
            }
            return Optional.of(callables);
        } catch (IOException e) {
            return Optional.empty(); // not what this version writes: read the definitions one by one
        }
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("bad length " + length);
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
