package dev.indexer.cli;

import dev.indexer.config.ByteSize;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress on stderr: a live bar on a terminal, a plain line every few seconds otherwise (logs, CI). */
final class ConsoleProgress {
    private ConsoleProgress() {}

    /** @param quiet show no progress, only notes */
    static ProgressListener create(CliContext context, boolean quiet) {
        ProgressListener shown = quiet ? ProgressListener.NONE : context.terminal().<ProgressListener>map(Bar::new)
                .orElseGet(() -> new Lines(context.err(), Duration.ofSeconds(10)));
        PrintWriter err = context.err();
        return new ProgressListener() {
            @Override
            public void update(RunSummary progress) {
                shown.update(progress);
            }

            @Override
            public void finish(RunSummary result) {
                shown.finish(result);
            }

            @Override
            public void note(String message) {
                err.println("indexer: note: " + message);
                err.flush();
            }
        };
    }

    /** One status line: files, chunks, rate and ETA. */
    static String status(RunSummary p) {
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "%,d", p.filesDone()));
        if (p.expectedFiles() >= 0) {
            line.append(String.format(Locale.ROOT, "/%,d", p.expectedFiles()));
        }
        line.append(String.format(Locale.ROOT, " files, %,d chunks, %.1f chunks/s", p.chunks(), p.chunksPerSecond()));
        eta(p).ifPresent(eta -> line.append(", ETA ").append(eta));
        return line.toString();
    }

    /** Remaining time from the byte rate so far: bytes track embedding work better than file counts. */
    static Optional<String> eta(RunSummary p) {
        if (p.expectedBytes() <= 0 || p.bytesDone() <= 0 || p.elapsedSeconds() < 2) {
            return Optional.empty();
        }
        double rate = p.bytesDone() / p.elapsedSeconds();
        long seconds = (long) (Math.max(0, p.expectedBytes() - p.bytesDone()) / rate);
        return Optional.of(seconds >= 3600
                ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60));
    }

    private static final class Bar implements ProgressListener {
        private final ProgressBar bar;

        Bar(PrintStream terminal) {
            bar = new ProgressBarBuilder()
                    .setTaskName("Indexing")
                    .setInitialMax(-1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500)
                    .setConsumer(new ConsoleProgressBarConsumer(terminal))
                    .hideEta()
                    .build();
        }

        @Override
        public void update(RunSummary p) {
            if (p.expectedFiles() >= 0 && bar.getMax() != p.expectedFiles()) {
                bar.maxHint(p.expectedFiles());
            }
            bar.stepTo(p.filesDone());
            bar.setExtraMessage(String.format(Locale.ROOT, "%,d chunks, %.1f/s%s", p.chunks(), p.chunksPerSecond(),
                    eta(p).map(eta -> ", ETA " + eta).orElse("")));
        }

        @Override
        public void finish(RunSummary result) {
            update(result);
            bar.close();
        }
    }

    private static final class Lines implements ProgressListener {
        private final PrintWriter err;
        private final long everyNanos;
        private long last = System.nanoTime();

        Lines(PrintWriter err, Duration every) {
            this.err = err;
            this.everyNanos = every.toNanos();
        }

        @Override
        public void update(RunSummary p) {
            long now = System.nanoTime();
            if (now - last >= everyNanos) {
                last = now;
                err.println("indexing: " + status(p) + ", " + ByteSize.format(p.bytesIndexed()) + " read");
                err.flush();
            }
        }

        @Override
        public void finish(RunSummary result) {
            // the final report follows on stdout
        }
    }
}
