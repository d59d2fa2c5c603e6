package io.moescope.platform.runs;

import java.util.Locale;

/**
 * What the Runs list keeps.
 *
 * @param text   part of the run's name, id, model name or architecture, any case; blank keeps all
 * @param status which statuses to keep
 * @param health which alert health to keep
 */
public record RunFilter(String text, RunStatusFilter status, RunHealthFilter health) {

    public static final RunFilter ALL = new RunFilter("", RunStatusFilter.ANY, RunHealthFilter.ANY);

    public RunFilter {
        text = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        status = status == null ? RunStatusFilter.ANY : status;
        health = health == null ? RunHealthFilter.ANY : health;
    }

    /** A filter by text and status, any health. */
    public RunFilter(String text, RunStatusFilter status) {
        this(text, status, RunHealthFilter.ANY);
    }

    boolean keepsAll() {
        return text.isEmpty() && status == RunStatusFilter.ANY && health == RunHealthFilter.ANY;
    }
}
