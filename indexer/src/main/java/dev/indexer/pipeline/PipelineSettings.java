package dev.indexer.pipeline;

import java.time.Duration;

/**
 * How the pipeline is sized.
 *
 * @param batchSize files per batch: the unit the embed stage sorts within and the writer commits at
 * @param maxFiles stop after handing this many files to the chunker; {@link Long#MAX_VALUE} for no limit
 * @param queueItems the most items in each queue between stages
 * @param queueBytes the most bytes (estimated) in each queue between stages
 * @param embedBatchTokens the most padded tokens in one model call
 * @param embedBatchInputs the most inputs in one model call
 * @param commitInterval the least time between two commits while running (there is always one at the end)
 * @param progressInterval how often the progress listener is called
 */
public record PipelineSettings(
        int batchSize,
        long maxFiles,
        int queueItems,
        long queueBytes,
        int embedBatchTokens,
        int embedBatchInputs,
        Duration commitInterval,
        Duration progressInterval) {

    public PipelineSettings {
        if (batchSize < 1 || maxFiles < 1 || queueItems < 1 || queueBytes < 1 || embedBatchInputs < 1) {
            throw new IllegalArgumentException("pipeline sizes must be positive");
        }
        if (embedBatchTokens < 8) {
            throw new IllegalArgumentException("embedBatchTokens must be at least 8");
        }
    }
}
