package dev.indexer.pipeline;

/** One stage of a run, on its own thread: it takes from its input queue, puts into its output queue. */
@FunctionalInterface
interface Stage {
    /**
     * Runs to the end of its input, then closes its output.
     *
     * @throws java.util.concurrent.CancellationException when another stage failed first (a queue was aborted)
     */
    void run() throws Exception;
}
