package dev.indexer.pipeline;

/** Shows a run's progress; called from one thread, about once a second, then once at the end. */
public interface ProgressListener {
    void update(RunSummary progress);

    void finish(RunSummary result);

    /** Something the user should know about the run that is not a number: a moved tree, a store that lost its data. */
    default void note(String message) {}

    /** Shows nothing, says nothing. */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void update(RunSummary progress) {}

        @Override
        public void finish(RunSummary result) {}
    };
}
