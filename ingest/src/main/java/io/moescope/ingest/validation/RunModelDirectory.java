package io.moescope.ingest.validation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of the runs that tokens belong to, for {@link TokenValidator}; shared by all consumer threads.
 *
 * <p>A run's model never changes once its row exists (the lifecycle writer never overwrites the identity), so known
 * models are cached. A run whose row does not exist yet is usually only a moment behind: its STARTED event travels on
 * another topic, consumed by another container. So a lookup waits up to {@code grace} (polling the database) for
 * such a run, once per run. A run still unknown after that (its STARTED event lost, or a producer that sends none) is
 * validated without its model, and looked up again at most once per {@code grace} in case its row turns up later.
 */
public final class RunModelDirectory {

    /** Reads the models of those runs that have a row; missing runs are simply absent from the result. */
    @FunctionalInterface
    public interface Loader {
        Map<String, RunModel> load(Collection<String> runIds);
    }

    /** Waits; tests pass one that advances their clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Logger log = LoggerFactory.getLogger(RunModelDirectory.class);
    private static final int MAX_ENTRIES = 10_000;
    private static final Duration POLL = Duration.ofMillis(100);

    private final Loader loader;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration grace;
    private final Map<String, RunModel> known = new ConcurrentHashMap<>();
    /** Unknown runs: when a token of theirs was first seen, or (after the grace) when they were last looked up. */
    private final Map<String, Instant> unknownSince = new ConcurrentHashMap<>();
    private final Set<String> givenUp = ConcurrentHashMap.newKeySet();

    public RunModelDirectory(Loader loader, Clock clock, Sleeper sleeper, Duration grace) {
        this.loader = loader;
        this.clock = clock;
        this.sleeper = sleeper;
        this.grace = grace;
    }

    public static RunModelDirectory withRealTime(Loader loader, Duration grace) {
        return new RunModelDirectory(loader, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), grace);
    }

    /**
     * @return the models of those of {@code runIds} that are known; runs absent from the map are to be validated
     *         without their model
     */
    public Map<String, RunModel> resolve(Set<String> runIds) {
        var result = new HashMap<String, RunModel>(runIds.size() * 2);
        var missing = new HashSet<String>();
        for (String runId : runIds) {
            RunModel model = known.get(runId);
            if (model != null) {
                result.put(runId, model);
            } else {
                missing.add(runId);
            }
        }
        if (missing.isEmpty()) {
            return result;
        }
        Instant now = clock.instant();
        // Runs already given up on are looked up again only once per grace period.
        Instant start = now;
        missing.removeIf(runId -> {
            Instant since = unknownSince.get(runId);
            return givenUp.contains(runId) && since != null && start.isBefore(since.plus(grace));
        });
        while (!missing.isEmpty()) {
            lookUp(missing, result);
            now = clock.instant();
            Instant deadline = null;
            for (var it = missing.iterator(); it.hasNext(); ) {
                String runId = it.next();
                Instant since = unknownSince.computeIfAbsent(runId, id -> clock.instant());
                if (givenUp.contains(runId) || !now.isBefore(since.plus(grace))) {
                    giveUp(runId, now);
                    it.remove();
                } else if (deadline == null || since.plus(grace).isBefore(deadline)) {
                    deadline = since.plus(grace);
                }
            }
            if (!missing.isEmpty()) {
                sleep(min(POLL, Duration.between(now, deadline)));
            }
        }
        return result;
    }

    /** Forgets everything, e.g. after a test truncated the run table. */
    public void clear() {
        known.clear();
        unknownSince.clear();
        givenUp.clear();
    }

    private void lookUp(Set<String> missing, Map<String, RunModel> result) {
        Map<String, RunModel> found = loader.load(missing);
        if (known.size() + found.size() > MAX_ENTRIES) {
            known.clear(); // runs are few; this only bounds memory over months of uptime
        }
        found.forEach((runId, model) -> {
            known.put(runId, model);
            result.put(runId, model);
            missing.remove(runId);
            if (unknownSince.remove(runId) != null && givenUp.remove(runId)) {
                log.info("Run {} is known now: its tokens are validated against its model from here on", runId);
            }
        });
    }

    private void giveUp(String runId, Instant now) {
        if (givenUp.add(runId)) {
            log.warn("Run {} is unknown (no STARTED event stored after {}): validating its tokens without its model",
                    runId, grace);
        }
        if (unknownSince.size() > MAX_ENTRIES) {
            unknownSince.clear();
            givenUp.clear();
        }
        unknownSince.put(runId, now);
    }

    private void sleep(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for run models", e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
