package dev.indexer.cli;

import dev.indexer.pipeline.Cancellation;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * What Ctrl-C (SIGINT) and SIGTERM do. While an index run is in progress, the first signal
 * cancels it: its stages stop, what the store acknowledged is committed and recorded, the command
 * says what was kept and exits with 130 (SIGINT) or 143 (SIGTERM). A second signal exits at once;
 * committed work is safe either way. With no run in progress a signal exits at once.
 */
final class Interrupts {
    static final int SIGINT_EXIT = 130;
    static final int SIGTERM_EXIT = 143;

    private final AtomicReference<Cancellation> current = new AtomicReference<>();
    private volatile int exitCode;

    private Interrupts() {}

    /** Signals are not handled (tests, embedding callers): cancellations come only from code. */
    static Interrupts none() {
        return new Interrupts();
    }

    /** Handles SIGINT and SIGTERM for this process. Call once, from {@code main}. */
    static Interrupts install() {
        Interrupts interrupts = new Interrupts();
        handle("INT", SIGINT_EXIT, interrupts);
        handle("TERM", SIGTERM_EXIT, interrupts);
        return interrupts;
    }

    private static void handle(String name, int code, Interrupts interrupts) {
        try {
            Signal.handle(new Signal(name), signal -> interrupts.received(code));
        } catch (IllegalArgumentException e) {
            // the signal is not available here (or ignored by the parent, as for nohup): keep the default
        }
    }

    private void received(int code) {
        Cancellation running = current.get();
        if (running == null || exitCode != 0) {
            // Nothing to wind down, or asked twice: what was committed is safe as it is.
            Runtime.getRuntime().halt(code);
        }
        exitCode = code;
        running.cancel();
    }

    /** A cancellation that the next signal triggers, for the run about to start. */
    Cancellation begin() {
        Cancellation cancellation = new Cancellation();
        current.set(cancellation);
        return cancellation;
    }

    /** The run is over: signals exit at once again. */
    void end() {
        current.set(null);
    }

    /** The exit code for the signal that cancelled the run: 130 for SIGINT, 143 for SIGTERM; 130 if none did. */
    int exitCode() {
        return exitCode != 0 ? exitCode : SIGINT_EXIT;
    }
}
