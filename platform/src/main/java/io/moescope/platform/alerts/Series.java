package io.moescope.platform.alerts;

import io.micrometer.core.instrument.Tags;

/** One gauge series: meter name and tags. */
record Series(String name, Tags tags) {
}
