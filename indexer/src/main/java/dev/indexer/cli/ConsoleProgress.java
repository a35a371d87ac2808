package dev.indexer.cli;

import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
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

    /** One status line: the phase, how far it is, and an ETA. */
    static String status(RunSummary p) {
        StringBuilder line = new StringBuilder();
        if (p.phase() == RunSummary.Phase.LEXICAL) {
            String of = p.files().expected() >= 0 ? String.format(Locale.ROOT, "/%,d", p.files().expected()) : "";
            line.append(String.format(Locale.ROOT, "reading %,d%s files, %,d chunks searchable by words",
                    p.files().done(), of, p.chunks().written()));
        } else {
            line.append(String.format(Locale.ROOT, "embedding: %,d of %,d chunks have vectors, %.1f chunks/s",
                    p.chunks().withVectors(), p.chunks().toEmbed(), p.embeddedPerSecond()));
        }
        eta(p).ifPresent(eta -> line.append(", ETA ").append(eta));
        return line.toString();
    }

    /**
     * Time left in the current phase: reading from the byte rate so far (bytes track the work
     * better than file counts), embedding from the model's chunk rate.
     */
    static Optional<String> eta(RunSummary p) {
        long seconds;
        if (p.phase() == RunSummary.Phase.LEXICAL) {
            if (p.files().expectedBytes() <= 0 || p.files().bytesDone() <= 0 || p.cost().elapsedSeconds() < 2) {
                return Optional.empty();
            }
            double rate = p.files().bytesDone() / p.cost().elapsedSeconds();
            seconds = (long) (Math.max(0, p.files().expectedBytes() - p.files().bytesDone()) / rate);
        } else {
            if (p.embeddedPerSecond() <= 0 || p.cost().embeddingNanos() < 2_000_000_000L || p.chunks().waiting() < 0) {
                return Optional.empty();
            }
            seconds = (long) (p.chunks().waiting() / p.embeddedPerSecond());
        }
        return Optional.of(seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60));
    }

    /** A bar per phase: files read, then chunks with vectors. */
    private static final class Bar implements ProgressListener {
        private final PrintStream terminal;
        private ProgressBar bar;

        Bar(PrintStream terminal) {
            this.terminal = terminal;
            this.bar = bar("Reading");
        }

        private ProgressBar bar(String task) {
            return new ProgressBarBuilder().setTaskName(task).setInitialMax(-1).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(terminal)).hideEta()
                    .build();
        }

        private RunSummary.Phase shown = RunSummary.Phase.LEXICAL;

        @Override
        public void update(RunSummary p) {
            if (p.phase() == RunSummary.Phase.LEXICAL) {
                if (p.files().expected() >= 0 && bar.getMax() != p.files().expected()) {
                    bar.maxHint(p.files().expected());
                }
                bar.stepTo(p.files().done());
                bar.setExtraMessage(String.format(Locale.ROOT, "%,d chunks searchable by words%s", p.chunks().written(),
                        eta(p).map(eta -> ", ETA " + eta).orElse("")));
            } else {
                if (shown == RunSummary.Phase.LEXICAL) {
                    bar.close();
                    bar = bar("Embedding");
                    shown = p.phase();
                }
                if (p.chunks().toEmbed() >= 0 && bar.getMax() != p.chunks().toEmbed()) {
                    bar.maxHint(p.chunks().toEmbed());
                }
                bar.stepTo(p.chunks().withVectors());
                bar.setExtraMessage(String.format(Locale.ROOT, "chunks with vectors, %.1f/s%s", p.embeddedPerSecond(),
                        eta(p).map(eta -> ", ETA " + eta).orElse("")));
            }
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
                err.println("indexing: " + status(p));
                err.flush();
            }
        }

        @Override
        public void finish(RunSummary result) {
            // the final report follows on stdout
        }
    }
}
