package io.moescope.analytics.evidence;

import io.moescope.events.ExpertCounts;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The independent units a {@link Bootstrap} resamples, with each unit's expert counts per layer (and, fed by the
 * caller, its consecutive token pairs), collected from tokens ordered by request and token index. Tokens of one
 * request are correlated (the same prompt, neighbours routed alike), so resampling tokens one by one would
 * understate the spread: a unit is a whole request where requests can be told apart, else a block of
 * {@value #BLOCK_TOKENS} consecutive tokens ({@link UnitBoundary}); for an aggregate-only run, a step of its counts.
 *
 * <p>Memory is units x layers x N whatever the run's length: past {@value #MAX_UNITS} units, neighbouring units are
 * merged in pairs (a unit then spans 2, 4, ... requests or blocks), which keeps between half that and that many.
 * Not thread-safe.
 */
public final class ResamplingUnits implements Consumer<TokenRouting> {

    public static final int MAX_UNITS = 200;
    public static final int BLOCK_TOKENS = 64;

    private final int numExperts;
    private final UnitBoundary boundary;
    private final int maxUnits;
    private final List<Unit> units = new ArrayList<>();
    /** requests or blocks per unit, and how many the last unit holds so far */
    private int span = 1;
    private int inLast;
    private long steps;

    ResamplingUnits(int numExperts, boolean byRequest, int blockTokens, int maxUnits) {
        this(numExperts, new UnitBoundary(byRequest, blockTokens), maxUnits);
    }

    private ResamplingUnits(int numExperts, UnitBoundary boundary, int maxUnits) {
        if (numExperts < 1 || maxUnits < 2 || maxUnits % 2 != 0) {
            throw new IllegalArgumentException("need N >= 1 and an even cap >= 2, got N=" + numExperts + ", cap "
                    + maxUnits);
        }
        this.numExperts = numExperts;
        this.boundary = boundary;
        this.maxUnits = maxUnits;
    }

    /** Units as {@code boundary} tells them apart (a fresh one: it must see every token this instance sees). */
    public static ResamplingUnits of(int numExperts, UnitBoundary boundary) {
        return new ResamplingUnits(numExperts, boundary, MAX_UNITS);
    }

    /** Units = requests (tokens must arrive grouped by request). */
    public static ResamplingUnits requests(int numExperts) {
        return of(numExperts, UnitBoundary.requests());
    }

    /** Units = blocks of consecutive tokens, for runs whose requests cannot be told apart. */
    public static ResamplingUnits tokenBlocks(int numExperts) {
        return of(numExperts, UnitBoundary.tokenBlocks());
    }

    /** An independent copy, at the same place in the tokens: what either is fed later leaves the other as it was. */
    public ResamplingUnits copy() {
        var copy = new ResamplingUnits(numExperts, boundary.copy(), maxUnits);
        units.forEach(unit -> {
            Unit into = new Unit();
            into.add(unit);
            copy.units.add(into);
        });
        copy.span = span;
        copy.inLast = inLast;
        copy.steps = steps;
        return copy;
    }

    @Override
    public void accept(TokenRouting token) {
        if (boundary.starts(token)) {
            startUnit();
        }
        Map<Integer, long[]> unit = last().experts;
        for (RouterDecision decision : token.decisions()) {
            long[] counts = unit.computeIfAbsent(decision.layer(), layer -> new long[numExperts]);
            for (int expert : decision.expertIds()) {
                if (expert >= numExperts) {
                    throw new IllegalArgumentException("layer " + decision.layer() + ": expert id " + expert
                            + " out of range for " + numExperts + " experts");
                }
                counts[expert]++;
            }
        }
    }

    /**
     * Adds a step of an aggregate-only run (a source that counts choices without recording tokens) as a unit of its
     * own: the source's steps (engine iterations, forward passes) are the only blocks its data can be split into.
     *
     * @throws IllegalArgumentException for counts of more experts than N
     */
    public void acceptStep(ExpertCounts step) {
        steps++;
        startUnit();
        Map<Integer, long[]> unit = last().experts;
        for (ExpertCounts.LayerCounts layer : step.layers()) {
            long[] counts = layer.counts();
            if (counts.length > numExperts) {
                throw new IllegalArgumentException("step " + step.step() + " layer " + layer.layer() + ": "
                        + counts.length + " counts for " + numExperts + " experts");
            }
            long[] into = unit.computeIfAbsent(layer.layer(), l -> new long[numExperts]);
            for (int expert = 0; expert < counts.length; expert++) {
                into[expert] += counts[expert];
            }
        }
    }

    /**
     * Adds consecutive token pairs of the current unit's request at a layer, as routing consistency counted them
     * (one implementation of what a pair is), so that a resample keeps a request's pairs together.
     */
    public void addPairs(int layer, long pairs, long sameFirstChoice, long intersecting) {
        add(last().pairs.computeIfAbsent(layer, l -> new long[3]), new long[] {pairs, sameFirstChoice, intersecting});
    }

    /**
     * Adds a unit of ratios alone, per key {numerator, denominator}: one request's, for a figure that is a ratio of
     * counts summed over requests (a cache policy's hits of its accesses; a layer's top-k choices shared with another
     * run, of its choices).
     */
    public void acceptRatios(Map<Integer, long[]> byKey) {
        startUnit();
        byKey.forEach((key, ratio) -> add(last().ratios.computeIfAbsent(key, k -> new long[2]), ratio));
    }

    private Unit last() {
        return units.get(units.size() - 1);
    }

    private void startUnit() {
        if (units.size() == maxUnits && inLast == span) {
            mergePairs();
        }
        if (!units.isEmpty() && inLast < span) {
            inLast++;
            return;
        }
        units.add(new Unit());
        inLast = 1;
    }

    // the cap is even and the last unit full when this runs, so every merged unit is full again
    private void mergePairs() {
        for (int i = 0; i < units.size() / 2; i++) {
            Unit merged = units.get(2 * i);
            merged.add(units.get(2 * i + 1));
            units.set(i, merged);
        }
        units.subList(units.size() / 2, units.size()).clear();
        span *= 2;
        inLast = span;
    }

    private static void add(long[] into, long[] counts) {
        for (int i = 0; i < into.length; i++) {
            into[i] += counts[i];
        }
    }

    /**
     * One unit's expert counts and consecutive pairs {pairs, same first choice, intersecting} per layer, and its
     * ratios {numerator, denominator} per key.
     */
    private static final class Unit {
        private final Map<Integer, long[]> experts = new TreeMap<>();
        private final Map<Integer, long[]> pairs = new TreeMap<>();
        private final Map<Integer, long[]> ratios = new TreeMap<>();

        void add(Unit other) {
            other.experts.forEach((layer, c) -> ResamplingUnits.add(experts.computeIfAbsent(layer,
                    l -> new long[c.length]), c));
            other.pairs.forEach((layer, c) -> ResamplingUnits.add(pairs.computeIfAbsent(layer, l -> new long[3]), c));
            other.ratios.forEach((key, r) -> ResamplingUnits.add(ratios.computeIfAbsent(key, k -> new long[2]), r));
        }
    }

    public int size() {
        return units.size();
    }

    public int numExperts() {
        return numExperts;
    }

    /** The layers seen, ascending. */
    public Set<Integer> layers() {
        var layers = new TreeSet<Integer>();
        units.forEach(unit -> layers.addAll(unit.experts.keySet()));
        return layers;
    }

    /** {@code [unit][expert]} counts at one layer; zeros for a unit without a token routed there. */
    public long[][] counts(int layer) {
        return perUnit(unit -> unit.experts.get(layer), numExperts);
    }

    /** {@code [unit][pairs, same first choice, intersecting]} at one layer; zeros for a unit without a pair there. */
    public long[][] pairs(int layer) {
        return perUnit(unit -> unit.pairs.get(layer), 3);
    }

    /** The keys with ratios, ascending. */
    public Set<Integer> ratioKeys() {
        var keys = new TreeSet<Integer>();
        units.forEach(unit -> keys.addAll(unit.ratios.keySet()));
        return keys;
    }

    /** {@code [unit][numerator, denominator]} under one key; zeros for a unit without it. */
    public long[][] ratios(int key) {
        return perUnit(unit -> unit.ratios.get(key), 2);
    }

    private long[][] perUnit(Function<Unit, long[]> of, int length) {
        long[][] counts = new long[units.size()][];
        for (int u = 0; u < counts.length; u++) {
            long[] c = of.apply(units.get(u));
            counts[u] = c == null ? new long[length] : c.clone();
        }
        return counts;
    }

    /** The resampling in words, e.g. "bootstrap over 12 requests" or "bootstrap over 40 blocks of 64 tokens". */
    public String method() {
        if (steps > 0 && boundary.tokens() == 0) {
            return span == 1 ? "bootstrap over " + units.size() + " steps"
                    : "bootstrap over " + units.size() + " blocks of " + span + " consecutive steps";
        }
        return "bootstrap over " + boundary.describe(units.size(), span);
    }
}
