package io.moescope.ui.runs;

import io.moescope.app.alerts.RunHealth;
import io.moescope.app.runs.RunSummary;

/** A line of the Runs list: the run and its health badge. */
record RunRow(RunSummary run, RunHealth health) {
}
