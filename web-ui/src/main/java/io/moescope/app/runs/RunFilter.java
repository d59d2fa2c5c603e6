package io.moescope.app.runs;

import java.util.Locale;

/**
 * What the Runs list keeps.
 *
 * @param text   part of the run's name, id, model name or architecture, any case; blank keeps all
 * @param status which statuses to keep
 */
public record RunFilter(String text, RunStatusFilter status) {

    public static final RunFilter ALL = new RunFilter("", RunStatusFilter.ANY);

    public RunFilter {
        text = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        status = status == null ? RunStatusFilter.ANY : status;
    }

    boolean keepsAll() {
        return text.isEmpty() && status == RunStatusFilter.ANY;
    }
}
