package dev.indexer.store.local;

import dev.indexer.chunk.Chunk;
import dev.indexer.store.EmbeddedChunk.Fields;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.SearchHit;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOSupplier;

/**
 * How a chunk is a Lucene document: path, lines, language and text are stored fields; the text
 * (with its header) and the symbol names are also indexed for lexical search; the vector, when
 * the chunk has one, goes into the HNSW graph. Everything a chunk is can be read back, so a chunk
 * stored before it was embedded can be embedded later from the index alone.
 */
final class ChunkDocuments {
    static final String ID = "id";
    static final String CONTENT = "content";
    static final String SYMBOL_WORDS = "symbol_words";
    static final String VECTOR = "vector";
    /**
     * The vectors of chunks whose embedded text does not name their file (a license notice has no
     * header): the same text can open thousands of files and is embedded once, so its vector is
     * stored thousands of times. In a graph of their own those copies cannot crowd the code's graph
     * ({@link NearestVectors}): on a tree of 20,000 small classes that open with one notice (160,008
     * chunks), a documented method that answered a query best was not among the 300 nearest while
     * the notices shared the code's graph.
     */
    static final String SHARED_VECTOR = "shared_vector";
    /** Every vector field: a chunk with a vector has exactly one of them. */
    static final List<String> VECTORS = List.of(VECTOR, SHARED_VECTOR);

    private ChunkDocuments() {}

    static Document document(EmbeddedChunk embedded) {
        Chunk chunk = embedded.chunk();
        Document doc = new Document();
        doc.add(new StringField(ID, chunk.id(), Field.Store.YES));
        doc.add(new StringField(Fields.PATH, chunk.path(), Field.Store.YES));
        doc.add(new StoredField(Fields.START, chunk.startLine()));
        doc.add(new StoredField(Fields.END, chunk.endLine()));
        doc.add(new StringField(Fields.LANGUAGE, chunk.language(), Field.Store.YES));
        doc.add(new StoredField(Fields.TEXT, chunk.text()));
        // The lexical index sees what the model sees: header (path, signatures) and text.
        doc.add(new TextField(CONTENT, chunk.embedText(), Field.Store.NO));
        Chunk.Context context = chunk.context();
        doc.add(new StoredField(Fields.SYMBOL, context.symbol()));
        doc.add(new TextField(SYMBOL_WORDS, context.symbol() + " " + context.container(), Field.Store.NO));
        doc.add(new StoredField(Fields.KIND, context.kind()));
        doc.add(new StoredField(Fields.CONTAINER, context.container()));
        doc.add(new StoredField(Fields.HEADER, context.header()));
        doc.add(new StoredField(Fields.HASH, chunk.hash()));
        doc.add(new StoredField(Fields.ORDINAL, chunk.ordinal()));
        doc.add(new StoredField(Fields.TOKENS, chunk.tokens()));
        if (embedded.hasVector()) {
            doc.add(new KnnFloatVectorField(vectorField(chunk), embedded.vector(),
                    VectorSimilarityFunction.DOT_PRODUCT));
        }
        return doc;
    }

    /** The field that holds {@code chunk}'s vector: {@link #SHARED_VECTOR} when its embedded text names no file. */
    static String vectorField(Chunk chunk) {
        return chunk.context().header().isEmpty() ? SHARED_VECTOR : VECTOR;
    }

    /** The vector of document {@code doc} of a segment, from whichever field holds it; null if it has none. */
    static float[] vector(LeafReader segment, int doc) throws IOException {
        for (String field : VECTORS) {
            // Vector values iterate forwards only, so each lookup gets a fresh iterator.
            FloatVectorValues values = segment.getFloatVectorValues(field);
            if (values != null && values.advance(doc) == doc) {
                return values.vectorValue().clone();
            }
        }
        return null;
    }

    /** Which of the documents with a wanted id count: the writer checks the text's hash too. */
    @FunctionalInterface
    interface Wanted {
        /** Every live document with the id. */
        Wanted ALL = (stored, doc, id) -> true;

        /** @param stored the segment's stored fields, opened on first use */
        boolean test(IOSupplier<StoredFields> stored, int doc, String id) throws IOException;
    }

    /**
     * The vectors of the live documents with these ids that {@code wanted} accepts, by id, looked
     * up in each segment's terms (reading ids back through stored fields cost 2 ms a search).
     */
    static Map<String, float[]> vectors(IndexReader index, Collection<String> ids, Wanted wanted) throws IOException {
        Map<String, float[]> found = new HashMap<>();
        for (LeafReaderContext leaf : index.leaves()) {
            LeafReader segment = leaf.reader();
            Terms terms = segment.terms(ID);
            if (terms == null || VECTORS.stream().map(segment.getFieldInfos()::fieldInfo)
                    .noneMatch(field -> field != null && field.hasVectorValues())) {
                continue;
            }
            TermsEnum each = terms.iterator();
            Bits live = segment.getLiveDocs();
            StoredFields[] opened = new StoredFields[1];
            IOSupplier<StoredFields> stored = () -> opened[0] != null ? opened[0]
                    : (opened[0] = segment.storedFields());
            for (String id : ids) {
                if (found.containsKey(id) || !each.seekExact(new BytesRef(id))) {
                    continue;
                }
                PostingsEnum docs = each.postings(null, PostingsEnum.NONE);
                for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
                    if ((live == null || live.get(doc)) && wanted.test(stored, doc, id)) {
                        float[] vector = vector(segment, doc);
                        if (vector != null) {
                            found.put(id, vector);
                        }
                    }
                }
            }
        }
        return found;
    }

    /** The chunk a stored document holds, as the chunker made it. */
    static Chunk chunk(Document doc) {
        return new Chunk(doc.get(Fields.PATH), intOf(doc, Fields.ORDINAL), intOf(doc, Fields.START), intOf(doc, Fields.END), doc.get(Fields.LANGUAGE),
                doc.get(Fields.TEXT), intOf(doc, Fields.TOKENS), new Chunk.Context(doc.get(Fields.HEADER), textOf(doc, Fields.SYMBOL),
                        textOf(doc, Fields.KIND), textOf(doc, Fields.CONTAINER)));
    }

    /** A search hit from a stored document and its score. */
    static SearchHit hit(Document doc, float score) {
        return new SearchHit(doc.get(ID), doc.get(Fields.PATH), intOf(doc, Fields.START), intOf(doc, Fields.END), doc.get(Fields.LANGUAGE),
                doc.get(Fields.TEXT), score, textOf(doc, Fields.SYMBOL), textOf(doc, Fields.KIND),
                textOf(doc, Fields.CONTAINER), "");
    }

    private static int intOf(Document doc, String field) {
        return doc.getField(field).numericValue().intValue();
    }

    private static String textOf(Document doc, String field) {
        return Objects.toString(doc.get(field), "");
    }
}
