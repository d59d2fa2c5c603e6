package io.moescope.analytics.evidence;

import io.moescope.events.TokenRouting;
import java.util.Objects;

/**
 * Where one unit of resampling ends and the next begins, in tokens ordered by request and token index: a unit is a
 * whole request where requests can be told apart, else a block of consecutive tokens. Tokens of one request share
 * a prompt and neighbours are routed alike, so a figure's uncertainty is measured over these units, never over
 * single tokens. The one rule that both the bootstrap ({@link ResamplingUnits}) and the analytic intervals (a
 * {@link RatioOfSums} per unit) follow. Feed every token once, in order. Not thread-safe.
 */
public final class UnitBoundary {

    private final boolean byRequest;
    private final int blockTokens;
    private String request;
    private long tokens;

    UnitBoundary(boolean byRequest, int blockTokens) {
        if (blockTokens < 1) {
            throw new IllegalArgumentException("need blocks of >= 1 token, got " + blockTokens);
        }
        this.byRequest = byRequest;
        this.blockTokens = blockTokens;
    }

    /** An independent copy, at the same place in the tokens. */
    public UnitBoundary copy() {
        var copy = new UnitBoundary(byRequest, blockTokens);
        copy.request = request;
        copy.tokens = tokens;
        return copy;
    }

    /** Units = requests (tokens must arrive grouped by request). */
    public static UnitBoundary requests() {
        return new UnitBoundary(true, ResamplingUnits.BLOCK_TOKENS);
    }

    /** Units = blocks of {@value ResamplingUnits#BLOCK_TOKENS} consecutive tokens. */
    public static UnitBoundary tokenBlocks() {
        return new UnitBoundary(false, ResamplingUnits.BLOCK_TOKENS);
    }

    /** Whether this token opens a new unit; call once per token, in order. */
    public boolean starts(TokenRouting token) {
        boolean starts = byRequest ? tokens == 0 || !Objects.equals(request, token.requestId())
                : tokens % blockTokens == 0;
        request = token.requestId();
        tokens++;
        return starts;
    }

    /** Tokens seen so far. */
    public long tokens() {
        return tokens;
    }

    /**
     * The units in words, e.g. "12 requests" or "40 blocks of 64 tokens".
     *
     * @param span requests or blocks per unit (more than 1 where neighbouring units were merged)
     */
    public String describe(int units, int span) {
        if (!byRequest) {
            return units + " blocks of " + (long) blockTokens * span + " tokens";
        }
        return span == 1 ? units + " requests" : units + " blocks of " + span + " consecutive requests";
    }
}
