package dev.indexer.store.local;

import dev.indexer.chunk.Chunk;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.SearchHit;
import java.util.Objects;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * How a chunk is a Lucene document: path, lines, language and text are stored fields; the text
 * (with its header) and the symbol names are also indexed for lexical search; the vector, when
 * the chunk has one, goes into the HNSW graph. Everything a chunk is can be read back, so a chunk
 * stored before it was embedded can be embedded later from the index alone.
 */
final class ChunkDocuments {
    static final String ID = "id";
    static final String PATH = "path";
    static final String START = "start";
    static final String END = "end";
    static final String LANGUAGE = "lang";
    static final String TEXT = "text";
    static final String CONTENT = "content";
    static final String SYMBOL = "symbol";
    static final String SYMBOL_WORDS = "symbol_words";
    static final String KIND = "kind";
    static final String CONTAINER = "container";
    static final String HEADER = "header";
    static final String HASH = "hash";
    static final String ORDINAL = "ordinal";
    static final String TOKENS = "tokens";
    static final String VECTOR = "vector";

    private ChunkDocuments() {}

    static Document document(EmbeddedChunk embedded) {
        Chunk chunk = embedded.chunk();
        Document doc = new Document();
        doc.add(new StringField(ID, chunk.id(), Field.Store.YES));
        doc.add(new StringField(PATH, chunk.path(), Field.Store.YES));
        doc.add(new StoredField(START, chunk.startLine()));
        doc.add(new StoredField(END, chunk.endLine()));
        doc.add(new StringField(LANGUAGE, chunk.language(), Field.Store.YES));
        doc.add(new StoredField(TEXT, chunk.text()));
        // The lexical index sees what the model sees: header (path, signatures) and text.
        doc.add(new TextField(CONTENT, chunk.embedText(), Field.Store.NO));
        Chunk.Context context = chunk.context();
        doc.add(new StoredField(SYMBOL, context.symbol()));
        doc.add(new TextField(SYMBOL_WORDS, context.symbol() + " " + context.container(), Field.Store.NO));
        doc.add(new StoredField(KIND, context.kind()));
        doc.add(new StoredField(CONTAINER, context.container()));
        doc.add(new StoredField(HEADER, context.header()));
        doc.add(new StoredField(HASH, chunk.hash()));
        doc.add(new StoredField(ORDINAL, chunk.ordinal()));
        doc.add(new StoredField(TOKENS, chunk.tokens()));
        if (embedded.hasVector()) {
            doc.add(new KnnFloatVectorField(VECTOR, embedded.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        }
        return doc;
    }

    /** The chunk a stored document holds, as the chunker made it. */
    static Chunk chunk(Document doc) {
        return new Chunk(doc.get(PATH), intOf(doc, ORDINAL), intOf(doc, START), intOf(doc, END), doc.get(LANGUAGE),
                doc.get(TEXT), intOf(doc, TOKENS), new Chunk.Context(doc.get(HEADER), textOf(doc, SYMBOL),
                        textOf(doc, KIND), textOf(doc, CONTAINER)));
    }

    /** A search hit from a stored document and its score. */
    static SearchHit hit(Document doc, float score) {
        return new SearchHit(doc.get(ID), doc.get(PATH), intOf(doc, START), intOf(doc, END), doc.get(LANGUAGE),
                doc.get(TEXT), score, textOf(doc, SYMBOL), textOf(doc, KIND), textOf(doc, CONTAINER));
    }

    private static int intOf(Document doc, String field) {
        return doc.getField(field).numericValue().intValue();
    }

    private static String textOf(Document doc, String field) {
        return Objects.toString(doc.get(field), "");
    }
}
