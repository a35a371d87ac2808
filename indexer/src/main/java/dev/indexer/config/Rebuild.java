package dev.indexer.config;

/** Whether a collection opened for writing is emptied and built again on its first run. */
public enum Rebuild {
    /** Never: a collection built with other settings is refused, with the way out. */
    NO,
    /** Always ({@code --reindex}, the way to change the model). */
    NOW,
    /**
     * Only when its chunks were cut by an earlier version of the chunker and nothing else differs:
     * no option brings the old rules back, so a live server, which has no {@code --reindex}, rebuilds
     * rather than serve an index it can no longer update.
     */
    IF_CHUNKS_OUTDATED
}
