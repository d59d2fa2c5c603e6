package io.moescope.tap.run;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * Logs a failure the first time its kind is seen, so that a broken engine or broker does not flood the log with one
 * line per request while the counters keep counting every occurrence. A failure's kind is its message with every
 * number replaced by {@code #}: "has 5 rows but ... 7 positions" and "has 9 rows but ... 3 positions" are one kind.
 */
final class OncePerKind {

    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private final Logger log;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    OncePerKind(Logger log) {
        this.log = log;
    }

    /** @return whether this was the first of its kind (and was logged) */
    boolean warn(String what, String message) {
        boolean first = seen.add(what + ": " + NUMBER.matcher(String.valueOf(message)).replaceAll("#"));
        if (first) {
            log.warn("{}: {} (further failures of this kind are counted, not logged)", what, message);
        }
        return first;
    }
}
