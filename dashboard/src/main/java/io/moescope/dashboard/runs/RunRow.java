package io.moescope.dashboard.runs;

import io.moescope.platform.alerts.RunHealth;
import io.moescope.platform.runs.RunSummary;

/** A line of the Runs list: the run and its health badge. */
record RunRow(RunSummary run, RunHealth health) {
}
