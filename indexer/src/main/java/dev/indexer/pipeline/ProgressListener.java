package dev.indexer.pipeline;

/** Shows a run's progress; called from one thread, about once a second, then once at the end. */
public interface ProgressListener {
    void update(RunSummary progress);

    void finish(RunSummary result);

    /** Shows nothing. */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void update(RunSummary progress) {}

        @Override
        public void finish(RunSummary result) {}
    };
}
