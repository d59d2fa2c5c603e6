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
 * the state no longer covers a prefix and must be replaced by a fresh one. An extension may also offer the pass up
 * to the requests after the committed ones that the caller says are settled ({@link #extend(Predicate, Predicate)}):
 * a state of its own over a longer prefix, on the same premise, which the caller can extend instead while it holds.
 * Not thread-safe.
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

    private SuiteState(SequencePass committed, String lastCommittedRequest, long committedTokens) {
        this.committed = committed;
        this.lastCommittedRequest = lastCommittedRequest;
        this.committedTokens = committedTokens;
    }

    /** An independent copy: extending either leaves the other as it was. */
    public SuiteState copy() {
        return new SuiteState(committed.copy(), lastCommittedRequest, committedTokens);
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
        return extend(closed, request -> false);
    }

    /**
     * An extension as {@link #extend(Predicate)} that also offers, as a state of its own ({@link Extension#settled}),
     * the pass over the requests after the committed ones up to the first one not settled: a request that has likely
     * got all its tokens, though not as surely as a closed one. That state stands for a prefix of the run while
     * those requests get no more tokens, which its next extension's caller checks as for this state's.
     *
     * @param settled whether a request not closed, given its tokens, likely gets no more
     */
    public Extension extend(Predicate<List<TokenRouting>> closed, Predicate<List<TokenRouting>> settled) {
        return new Extension(closed, settled);
    }

    /** Takes the tail's tokens in order; {@link #pass} then gives the pass over the whole run. Use once. */
    public final class Extension implements Consumer<TokenRouting> {

        private final Predicate<List<TokenRouting>> closed;
        private final Predicate<List<TokenRouting>> settled;
        private final List<TokenRouting> request = new ArrayList<>();
        /** the copy the open requests go to, once one was met; null while requests commit */
        private SequencePass open;
        private long tailTokens;
        /** the last settled request after the committed ones, all settled, and the tokens up to its end */
        private String lastSettledRequest;
        private long settledTokens;
        /** the state at the end of the settled requests, once a request not settled was met */
        private SuiteState settledState;
        private boolean settling = true;

        private Extension(Predicate<List<TokenRouting>> closed, Predicate<List<TokenRouting>> settled) {
            this.closed = closed;
            this.settled = settled;
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
            List<TokenRouting> whole = List.copyOf(request);
            request.clear();
            if (open == null && closed.test(whole)) {
                whole.forEach(committed);
                lastCommittedRequest = whole.get(0).requestId();
                committedTokens += whole.size();
                return;
            }
            if (open == null) {
                open = committed.copy();
                settledTokens = committedTokens;
            }
            if (settling && settled.test(whole)) {
                lastSettledRequest = whole.get(0).requestId();
                settledTokens += whole.size();
            } else if (settling) {
                settleBefore();
            }
            whole.forEach(open);
        }

        // the open pass holds the committed and the settled requests now, and none after them
        private void settleBefore() {
            settling = false;
            if (lastSettledRequest != null) {
                settledState = new SuiteState(open.copy(), lastSettledRequest, settledTokens);
            }
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
            if (settling && open != null) {
                settleBefore();
            }
            return open != null ? open : committed.copy();
        }

        /**
         * The state at the end of the settled requests after the committed ones, up to the first request not
         * settled (or the tail's end), independent of this state; empty when the request after the committed ones
         * is not settled, or every request was committed. Call after {@link #pass}.
         */
        public Optional<SuiteState> settled() {
            return Optional.ofNullable(settledState);
        }
    }
}
