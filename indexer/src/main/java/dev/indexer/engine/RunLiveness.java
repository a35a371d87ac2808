package dev.indexer.engine;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a run the manifest calls "running" still is. A run killed with {@code kill -9}, or a
 * machine that lost power, never records its end: its process is then gone (or the pid now
 * belongs to a process that started after the run did).
 */
final class RunLiveness {
    private RunLiveness() {}

    /** The last run's outcome as the manifest has it, with a dead "running" run called what it is. */
    static String outcome(Map<String, String> meta) {
        String outcome = meta.getOrDefault("last_run_outcome", "never run");
        if (!outcome.equals("running")) {
            return outcome;
        }
        long pid;
        try {
            pid = Long.parseLong(meta.getOrDefault("last_run_pid", "-1"));
        } catch (NumberFormatException e) {
            pid = -1;
        }
        return alive(pid, meta.getOrDefault("last_run_started", "")) ? "running (pid " + pid + ")"
                : "interrupted: its process" + (pid > 0 ? " (pid " + pid + ")" : "") + " stopped without finishing"
                        + " (killed or crashed); what it committed is kept, and the next run continues from there";
    }

    private static boolean alive(long pid, String started) {
        if (pid <= 0) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        Optional<Instant> processStart = process.get().info().startInstant();
        try {
            Instant runStart = Instant.parse(started);
            // A pid reused by a process that started after the run cannot be the run's.
            return processStart.map(p -> !p.isAfter(runStart.plusSeconds(1))).orElse(true);
        } catch (DateTimeParseException e) {
            return true;
        }
    }
}
