package dev.indexer.store.qdrant;

import dev.indexer.chunk.Chunk;
import dev.indexer.config.Shard;
import dev.indexer.lexical.CodeAnalyzer;
import dev.indexer.store.EmbeddedChunk.Fields;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.SearchHit;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Common.RepeatedStrings;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.NamedVectors;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.Vectors;
import io.qdrant.client.grpc.Points.VectorsOutput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Chunks as Qdrant points: the point id is a UUID of the repository and the chunk's id (one path
 * may be a file of many repositories in a collection); repository, path, lines, language, text and
 * hashes are the payload.
 */
final class PointCodec {

    /** Thread-safe once built: shared by every point and query. */
    private static final CodeAnalyzer ANALYZER = new CodeAnalyzer();

    private PointCodec() {}

    /** The point of chunk {@code chunkId} of repository {@code repo}: the same on every machine. */
    static PointId id(String repo, String chunkId) {
        return id(pointId(repo, chunkId));
    }

    /** {@link #id(String, String)} as text: the id a hit of the point carries. */
    static String pointId(String repo, String chunkId) {
        return UUID.nameUUIDFromBytes((repo + '\u0000' + chunkId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static PointId id(String pointId) {
        return PointId.newBuilder().setUuid(pointId).build();
    }

    /** Points of repository {@code repo} only. */
    static Condition inRepo(String repo) {
        return Condition.newBuilder().setField(FieldCondition.newBuilder().setKey(Fields.REPO)
                .setMatch(Match.newBuilder().setKeyword(repo))).build();
    }

    /** Points of any of {@code repos}. */
    static Condition inRepos(List<String> repos) {
        return repos.size() == 1 ? inRepo(repos.get(0))
                : Condition.newBuilder().setField(FieldCondition.newBuilder().setKey(Fields.REPO).setMatch(
                        Match.newBuilder().setKeywords(RepeatedStrings.newBuilder().addAllStrings(repos)))).build();
    }

    /** Qdrant may answer with a differently formatted UUID; this gives the chunk id form. */
    static String chunkId(PointId id) {
        return id.hasUuid() ? UUID.fromString(id.getUuid()).toString() : Long.toString(id.getNum());
    }

    /** A chunk as a point: its payload, its sparse vector, and its dense vector if it has one yet. */
    static PointStruct point(EmbeddedChunk embedded, String repo) {
        Chunk c = embedded.chunk();
        SparseTerms terms = SparseTerms.document(ANALYZER.terms(c.embedText()));
        Chunk.Context context = c.context();
        NamedVectors.Builder vectors = NamedVectors.newBuilder()
                .putVectors(CollectionSchema.SPARSE, Vector.newBuilder().setSparse(sparse(terms)).build());
        if (embedded.hasVector()) {
            vectors.putVectors(CollectionSchema.DENSE, dense(embedded.vector()));
        }
        return PointStruct.newBuilder().setId(id(repo, c.id())).setVectors(Vectors.newBuilder().setVectors(vectors))
                .putPayload(Fields.REPO, string(repo))
                .putPayload(Fields.SYMBOL, string(context.symbol())).putPayload(Fields.KIND, string(context.kind()))
                .putPayload(Fields.CONTAINER, string(context.container()))
                .putPayload(Fields.HEADER, string(context.header())).putPayload(Fields.PATH, string(c.path()))
                .putPayload(Fields.START, integer(c.startLine())).putPayload(Fields.END, integer(c.endLine()))
                .putPayload(Fields.LANGUAGE, string(c.language())).putPayload(Fields.TEXT, string(c.text()))
                .putPayload(Fields.HASH, string(c.hash())).putPayload(Fields.ORDINAL, integer(c.ordinal()))
                .putPayload(Fields.TOKENS, integer(c.tokens()))
                .putPayload(Fields.PATH_SLOT, integer(Shard.slot(c.path()))).build();
    }

    /** The dense vector, as the named vector a point holds. */
    static Vector dense(float[] vector) {
        return Vector.newBuilder().setDense(denseVector(vector)).build();
    }

    static DenseVector denseVector(float[] vector) {
        DenseVector.Builder dense = DenseVector.newBuilder();
        for (float f : vector) {
            dense.addData(f);
        }
        return dense.build();
    }

    /** The chunk a point holds, from its payload. */
    static Chunk chunk(Map<String, Value> payload) {
        return new Chunk(text(payload, Fields.PATH), number(payload, Fields.ORDINAL), number(payload, Fields.START), number(payload, Fields.END),
                text(payload, Fields.LANGUAGE), text(payload, Fields.TEXT), number(payload, Fields.TOKENS),
                new Chunk.Context(text(payload, Fields.HEADER), text(payload, Fields.SYMBOL), text(payload, Fields.KIND),
                        text(payload, Fields.CONTAINER)));
    }

    private static int number(Map<String, Value> payload, String key) {
        return (int) payload.getOrDefault(key, Value.getDefaultInstance()).getIntegerValue();
    }

    static SparseVector sparse(SparseTerms terms) {
        SparseVector.Builder sparse = SparseVector.newBuilder();
        for (int i = 0; i < terms.indices().length; i++) {
            sparse.addIndices(terms.indices()[i]).addValues(terms.values()[i]);
        }
        return sparse.build();
    }

    /** The query's terms, weighted for the server's IDF. */
    static SparseTerms queryTerms(String text) {
        return SparseTerms.query(ANALYZER.terms(text));
    }

    /**
     * A hit of a point; its id is the point's, or with {@code chunkIds} its chunk's (unique within
     * one repository).
     */
    static SearchHit hit(PointId id, Map<String, Value> payload, float score, boolean chunkIds) {
        String hitId = chunkIds ? Chunk.idFor(text(payload, Fields.PATH), number(payload, Fields.ORDINAL))
                : chunkId(id);
        return new SearchHit(hitId, text(payload, Fields.PATH), number(payload, Fields.START),
                number(payload, Fields.END), text(payload, Fields.LANGUAGE), text(payload, Fields.TEXT), score,
                text(payload, Fields.SYMBOL), text(payload, Fields.KIND), text(payload, Fields.CONTAINER),
                text(payload, Fields.REPO));
    }

    static String text(Map<String, Value> payload, String key) {
        return payload.getOrDefault(key, Value.getDefaultInstance()).getStringValue();
    }

    /** The dense vector of a point, in either of the forms servers answer with; null if it has none. */
    static float[] vector(VectorsOutput output) {
        if (!output.hasVectors() || !output.getVectors().containsVectors(CollectionSchema.DENSE)) {
            return null;
        }
        VectorOutput v = output.getVectors().getVectorsOrThrow(CollectionSchema.DENSE);
        java.util.List<Float> data = v.hasDense() ? v.getDense().getDataList() : legacyData(v);
        float[] out = new float[data.size()];
        IntStream.range(0, out.length).forEach(i -> out[i] = data.get(i));
        return out.length == 0 ? null : out;
    }

    @SuppressWarnings("deprecation") // servers before 1.14 answer only in the old field
    private static java.util.List<Float> legacyData(VectorOutput v) {
        return v.getDataList();
    }

    static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static Value integer(long n) {
        return Value.newBuilder().setIntegerValue(n).build();
    }
}
