package io.moescope.cli;

import io.moescope.probe.model.Offloading;
import java.util.Iterator;

/**
 * The {@code --cache-policy} values the help lists for the probe's live expert cache: {@link Offloading#LIVE_POLICIES},
 * not every constant of the enum (Belady's MIN is for the warm-up simulation only).
 */
final class LiveCachePolicies implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        return Offloading.LIVE_POLICIES.stream().map(Enum::name).iterator();
    }
}
