package io.moescope.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunModelDirectoryTest {

    private static final Duration GRACE = Duration.ofSeconds(5);

    private final FakeClock clock = new FakeClock();
    private final Map<String, RunModel> table = new HashMap<>();
    private final List<Collection<String>> lookups = new ArrayList<>();
    private final RunModelDirectory directory = new RunModelDirectory(ids -> {
        lookups.add(List.copyOf(ids));
        var found = new HashMap<String, RunModel>();
        ids.forEach(id -> {
            if (table.containsKey(id)) {
                found.put(id, table.get(id));
            }
        });
        return found;
    }, clock, clock::advance, GRACE);

    @Test
    void cachesAKnownRunAfterOneLookup() {
        table.put("a", model("a"));

        assertThat(directory.resolve(Set.of("a"))).containsOnlyKeys("a");
        assertThat(directory.resolve(Set.of("a"))).containsOnlyKeys("a");
        assertThat(lookups).hasSize(1);
        assertThat(clock.instant()).isEqualTo(FakeClock.START);
    }

    @Test
    void waitsForARunWhoseStartedEventIsOnItsWay() {
        clock.onAdvance(() -> {
            if (clock.elapsed().toMillis() >= 300) {
                table.put("late", model("late"));
            }
        });

        assertThat(directory.resolve(Set.of("late"))).containsOnlyKeys("late");
        assertThat(clock.elapsed()).isBetween(Duration.ofMillis(300), Duration.ofMillis(400));
    }

    @Test
    void givesUpOnAnUnknownRunAfterTheGraceAndThenWaitsNoMore() {
        assertThat(directory.resolve(Set.of("ghost"))).isEmpty();
        assertThat(clock.elapsed()).isEqualTo(GRACE);

        int lookupsBefore = lookups.size();
        assertThat(directory.resolve(Set.of("ghost"))).isEmpty();
        assertThat(clock.elapsed()).isEqualTo(GRACE);
        assertThat(lookups).hasSize(lookupsBefore); // looked up again only after another grace period
    }

    @Test
    void findsARunGivenUpOnOnceItsRowTurnsUp() {
        directory.resolve(Set.of("ghost"));
        table.put("ghost", model("ghost"));
        clock.advance(GRACE);

        assertThat(directory.resolve(Set.of("ghost"))).containsOnlyKeys("ghost");
    }

    private static RunModel model(String runId) {
        return RunModel.of(runId, 4, 8, 2, List.of(0, 1, 2, 3), "probe");
    }

    private static final class FakeClock extends Clock {
        static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
        private Instant now = START;
        private Runnable onAdvance = () -> { };

        void advance(Duration d) {
            now = now.plus(d);
            onAdvance.run();
        }

        void onAdvance(Runnable action) {
            onAdvance = action;
        }

        Duration elapsed() {
            return Duration.between(START, now);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
