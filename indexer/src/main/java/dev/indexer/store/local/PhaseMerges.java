package dev.indexer.store.local;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.IOContext;

/**
 * Merges segments of chunks without vectors only with each other, and segments with vectors only
 * with each other. A run writes every chunk twice: first without its vector (searchable by words
 * at once), then again with it, which deletes the first. Left to itself the merge policy merged
 * the two kinds together mid-run, so the chunks written first survived as deleted documents inside
 * segments with vector graphs, and taking them back meant building those graphs again: the JDK's
 * build left 567k deleted documents in 58 segments, and settling them was more than the run's
 * budget. Kept apart, a segment of the first kind is deleted whole once its chunks have their
 * vectors, and Lucene drops it without a merge.
 *
 * <p>Each kind has its own policy: a merge of segments with vectors builds the merged segment's
 * graph on the heap, node by node, so their merged size is capped lower than that of text alone.
 */
final class PhaseMerges extends FilterMergePolicy {
    /** Whether each segment (by name) has vectors; what a segment holds never changes. */
    private final Map<String, Boolean> hasVectors = new ConcurrentHashMap<>();
    private final MergePolicy forText;

    /**
     * @param forVectors merges segments with vectors (and answers everything else a policy is asked)
     * @param forText merges segments without
     */
    PhaseMerges(MergePolicy forVectors, MergePolicy forText) {
        super(forVectors);
        this.forText = forText;
    }

    @Override
    public MergeSpecification findMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context)
            throws IOException {
        return apart(infos, (policy, kind) -> policy.findMerges(trigger, kind, context));
    }

    /** The merges of small segments that a commit may wait for: kept apart the same way. */
    @Override
    public MergeSpecification findFullFlushMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context)
            throws IOException {
        return apart(infos, (policy, kind) -> policy.findFullFlushMerges(trigger, kind, context));
    }

    @FunctionalInterface
    private interface Finder {
        MergeSpecification find(MergePolicy policy, SegmentInfos infos) throws IOException;
    }

    /** What {@code finder} finds among the segments with vectors and, apart, among those without. */
    private MergeSpecification apart(SegmentInfos infos, Finder finder) throws IOException {
        SegmentInfos withVectors = new SegmentInfos(infos.getIndexCreatedVersionMajor());
        SegmentInfos without = new SegmentInfos(infos.getIndexCreatedVersionMajor());
        for (SegmentCommitInfo info : infos) {
            (hasVectors(info) ? withVectors : without).add(info);
        }
        forgetAllBut(infos);
        MergeSpecification merges = new MergeSpecification();
        for (MergeSpecification found : new MergeSpecification[] {
            withVectors.size() == 0 ? null : finder.find(in, withVectors),
            without.size() == 0 ? null : finder.find(forText, without)}) {
            if (found != null) {
                found.merges.forEach(merges::add);
            }
        }
        return merges.merges.isEmpty() ? null : merges;
    }

    private boolean hasVectors(SegmentCommitInfo info) {
        return hasVectors.computeIfAbsent(info.info.name, name -> {
            long gen = info.getFieldInfosGen();
            String suffix = gen == -1 ? "" : Long.toString(gen, Character.MAX_RADIX);
            try {
                FieldInfos fields = info.info.getCodec().fieldInfosFormat().read(info.info.dir, info.info, suffix,
                        IOContext.READONCE);
                return ChunkDocuments.VECTORS.stream().map(fields::fieldInfo)
                        .anyMatch(vector -> vector != null && vector.hasVectorValues());
            } catch (IOException | RuntimeException e) {
                return true; // unknown: merged as the policy says, as before
            }
        });
    }

    /** Bounded by the segments there are: those merged away are forgotten. */
    private void forgetAllBut(SegmentInfos infos) {
        if (hasVectors.size() > 2 * infos.size() + 16) {
            Set<String> live = infos.asList().stream().map(i -> i.info.name).collect(Collectors.toSet());
            hasVectors.keySet().retainAll(live);
        }
    }
}
