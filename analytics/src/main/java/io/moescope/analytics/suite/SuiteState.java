package io.moescope.analytics.suite;

import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The suite's pass over a growing run, kept between suites so that each costs the tokens added since, not the run.
 * The pass is the batch's ({@link SequencePass}, tokens in the order the caller reads a run in: platform's reads go
 * by the requests' arrival, then token index), so the suite is the batch's exactly, floating sums and merged
 * resampling units included: the state holds the pass over a prefix of that order, the committed requests, and each
 * {@link #extend extension} feeds it the requests after them. The state names the prefix by its last request's id
 * ({@link #lastCommittedRequest}); where in the order that request stands is the reader's to know.
 *
 * <p>A request is committed only when the caller says it is closed and every request before it in the order is
 * committed; a request still open (it may get more tokens) and every one after it are passed over again on a copy
 * by each extension, never kept. The premise the caller keeps (and checks, {@code committedTokens}): tokens of a
 * committed request, or of a new request ordered before the last committed one, never arrive later. Where they do,
 * the state no longer covers a prefix and must be replaced by a fresh one. Not thread-safe.
 */
public final class SuiteState {

    private final SequencePass committed;
    private String lastCommittedRequest;
    private long committedTokens;

    /** @param fresh a pass that has seen no token */
    public SuiteState(SequencePass fresh) {
        if (fresh.tokens() != 0) {
            throw new IllegalArgumentException("a suite state starts from a fresh pass, not one of " + fresh.tokens()
                    + " tokens");
        }
        this.committed = fresh;
    }

    /** The last request of the committed prefix; empty while none is committed. */
    public Optional<String> lastCommittedRequest() {
        return Optional.ofNullable(lastCommittedRequest);
    }

    /** Tokens of the committed requests: what the run holds up to {@link #lastCommittedRequest}, if it is a prefix. */
    public long committedTokens() {
        return committedTokens;
    }

    /**
     * An extension by the tokens of the requests after {@link #lastCommittedRequest}, in the batch's order, each
     * request whole.
     *
     * @param closed whether a request, given its tokens, gets no more: it is committed if every one before it was
     */
    public Extension extend(Predicate<List<TokenRouting>> closed) {
        return new Extension(closed);
    }

    /** Takes the tail's tokens in order; {@link #pass} then gives the pass over the whole run. Use once. */
    public final class Extension implements Consumer<TokenRouting> {

        private final Predicate<List<TokenRouting>> closed;
        private final List<TokenRouting> request = new ArrayList<>();
        /** the copy the open requests go to, once one was met; null while requests commit */
        private SequencePass open;
        private long tailTokens;

        private Extension(Predicate<List<TokenRouting>> closed) {
            this.closed = closed;
        }

        @Override
        public void accept(TokenRouting token) {
            if (!request.isEmpty() && !Objects.equals(request.get(0).requestId(), token.requestId())) {
                endRequest();
            }
            request.add(token);
            tailTokens++;
        }

        private void endRequest() {
            if (open == null && closed.test(List.copyOf(request))) {
                request.forEach(committed);
                lastCommittedRequest = request.get(0).requestId();
                committedTokens += request.size();
            } else {
                if (open == null) {
                    open = committed.copy();
                }
                request.forEach(open);
            }
            request.clear();
        }

        /** Tokens of the tail, committed or not. */
        public long tailTokens() {
            return tailTokens;
        }

        /**
         * The pass over the committed requests and the tail, not finished (a caller may add an aggregate run's
         * steps), independent of the state: finishing it leaves the state extendable.
         */
        public SequencePass pass() {
            if (!request.isEmpty()) {
                endRequest();
            }
            return open != null ? open : committed.copy();
        }
    }
}
