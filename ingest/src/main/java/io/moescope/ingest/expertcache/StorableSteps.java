package io.moescope.ingest.expertcache;

import io.moescope.events.ExpertCacheStep;
import java.util.HashSet;

/** What an {@link ExpertCacheStep} must satisfy to be stored; anything else is a malformed record. */
final class StorableSteps {

    private StorableSteps() {
    }

    /** @throws IllegalArgumentException naming the first problem */
    static void check(ExpertCacheStep step) {
        require(!step.runId().isBlank() && !step.requestId().isBlank(), "run and request ids must not be blank");
        require(step.firstTokenIndex() >= 0, "first token index " + step.firstTokenIndex() + " < 0");
        require(step.tokens() >= 1, "a step has at least one token, not " + step.tokens());
        require(step.capacity() >= 1, "cache capacity " + step.capacity() + " < 1");
        require(step.policy().equals("LRU") || step.policy().equals("LFU"), "unknown policy '" + step.policy() + "'");
        var seen = new HashSet<Long>();
        for (ExpertCacheStep.Access a : step.accesses()) {
            String where = "layer " + a.layer() + " expert " + a.expert();
            require(a.layer() >= 0 && a.expert() >= 0, "negative layer or expert: " + where);
            require(a.bytesRead() >= 0 && a.loadNanos() >= 0, where + ": negative bytes read or load time");
            require(!a.hit() || a.bytesRead() == 0 && a.loadNanos() == 0, where + ": a hit reads nothing");
            require(a.evicted() >= -1, where + ": evicted expert " + a.evicted());
            require(seen.add(((long) a.layer() << 32) | a.expert()), where + ": accessed twice in one step");
        }
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }
}
