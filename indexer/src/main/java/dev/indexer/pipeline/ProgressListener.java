package dev.indexer.pipeline;

/** Shows a run's progress; called from one thread, about once a second, then once at the end. */
public interface ProgressListener {
    void update(RunSummary progress);

    void finish(RunSummary result);

    /** Whether this listener shows progress, and so needs the pre-count of the files to read. */
    default boolean showsProgress() {
        return true;
    }

    /** Shows nothing. */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void update(RunSummary progress) {}

        @Override
        public void finish(RunSummary result) {}

        @Override
        public boolean showsProgress() {
            return false;
        }
    };
}
