package io.moescope.analytics.coactivation;

import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.evidence.RatioOfSums;
import io.moescope.analytics.evidence.UnitBoundary;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.function.Consumer;

/**
 * The 95 % interval of every cell of one layer's co-activation matrix. CoAct(a, b) is a ratio of sums over the
 * units of resampling (requests, else blocks of tokens: {@link UnitBoundary}): y_u = N(a and b in top-k) and
 * x_u = N(a in top-k) within unit u. A bootstrap per cell would cost N^2 cells x resamples x units, so each cell
 * gets the analytic interval of a {@link RatioOfSums}, from running sums folded in as each unit closes.
 *
 * <p>Cost: a token adds its pairs to the open unit; closing a unit folds only the cells and rows it touched, never
 * N^2. Memory: a few N x N arrays whatever the run's length. Every unit enters the sums, however many: unlike the
 * bootstrap's, they need no merging. Expert ids are taken as checked (by the {@link CoActivationAccumulator} that
 * counts the point figures from the same decisions). Not thread-safe.
 */
public final class CoActivationIntervals implements Consumer<TokenRouting> {

    private final int numExperts;
    private final int layer;
    private final PairCounting counting;
    private final UnitBoundary boundary;
    /** the open unit: pair counts at a * N + b, choices per expert, and which of them it touched */
    private final long[] unitPairs;
    private final long[] unitChosen;
    private final int[] touchedCells;
    private final int[] touchedRows;
    private int cellsTouched;
    private int rowsTouched;
    private boolean unitRouted;
    /** the closed units: y sums per cell, x sums per row */
    private int units;
    private final long[] sumY;
    private final double[] sumYY;
    private final double[] sumXY;
    private final long[] sumX;
    private final double[] sumXX;
    private final int[] unitsChosen;

    /**
     * @param boundary a fresh one: it must see every token of the set, in order
     */
    public CoActivationIntervals(int numExperts, int layer, PairCounting counting, UnitBoundary boundary) {
        if (numExperts < 1) {
            throw new IllegalArgumentException("numExperts must be >= 1 but was " + numExperts);
        }
        this.numExperts = numExperts;
        this.layer = layer;
        this.counting = counting;
        this.boundary = boundary;
        int cells = numExperts * numExperts;
        unitPairs = new long[cells];
        unitChosen = new long[numExperts];
        touchedCells = new int[cells];
        touchedRows = new int[numExperts];
        sumY = new long[cells];
        sumYY = new double[cells];
        sumXY = new double[cells];
        sumX = new long[numExperts];
        sumXX = new double[numExperts];
        unitsChosen = new int[numExperts];
    }

    /** An independent copy, open unit included: what either is fed later leaves the other as it was. */
    public CoActivationIntervals copy() {
        var copy = new CoActivationIntervals(numExperts, layer, counting, boundary.copy());
        System.arraycopy(unitPairs, 0, copy.unitPairs, 0, unitPairs.length);
        System.arraycopy(unitChosen, 0, copy.unitChosen, 0, unitChosen.length);
        System.arraycopy(touchedCells, 0, copy.touchedCells, 0, touchedCells.length);
        System.arraycopy(touchedRows, 0, copy.touchedRows, 0, touchedRows.length);
        copy.cellsTouched = cellsTouched;
        copy.rowsTouched = rowsTouched;
        copy.unitRouted = unitRouted;
        copy.units = units;
        System.arraycopy(sumY, 0, copy.sumY, 0, sumY.length);
        System.arraycopy(sumYY, 0, copy.sumYY, 0, sumYY.length);
        System.arraycopy(sumXY, 0, copy.sumXY, 0, sumXY.length);
        System.arraycopy(sumX, 0, copy.sumX, 0, sumX.length);
        System.arraycopy(sumXX, 0, copy.sumXX, 0, sumXX.length);
        System.arraycopy(unitsChosen, 0, copy.unitsChosen, 0, unitsChosen.length);
        return copy;
    }

    /** Every token of the set, ordered by request and token index: its decision at the layer, if any, counts. */
    @Override
    public void accept(TokenRouting token) {
        if (boundary.starts(token)) {
            closeUnit();
        }
        for (RouterDecision decision : token.decisions()) {
            if (decision.layer() == layer) {
                add(decision.expertIds());
            }
        }
    }

    private void add(int[] ids) {
        unitRouted = true;
        for (int r = 0; r < ids.length; r++) {
            if (unitChosen[ids[r]]++ == 0) {
                touchedRows[rowsTouched++] = ids[r];
            }
            for (int s = 0; s < ids.length; s++) {
                if (counting.counts(r, s)) {
                    int cell = ids[r] * numExperts + ids[s];
                    if (unitPairs[cell]++ == 0) {
                        touchedCells[cellsTouched++] = cell;
                    }
                }
            }
        }
    }

    // a cell or row the unit did not touch has y_u = 0 (or x_u = 0) and adds nothing to any sum
    private void closeUnit() {
        if (!unitRouted) {
            return;
        }
        units++;
        for (int i = 0; i < cellsTouched; i++) {
            int cell = touchedCells[i];
            double y = unitPairs[cell];
            sumY[cell] += unitPairs[cell];
            sumYY[cell] += y * y;
            sumXY[cell] += y * unitChosen[cell / numExperts];
            unitPairs[cell] = 0;
        }
        for (int i = 0; i < rowsTouched; i++) {
            int row = touchedRows[i];
            double x = unitChosen[row];
            sumX[row] += unitChosen[row];
            sumXX[row] += x * x;
            unitsChosen[row]++;
            unitChosen[row] = 0;
        }
        cellsTouched = 0;
        rowsTouched = 0;
        unitRouted = false;
    }

    /**
     * The intervals of every cell after the last token (closes the open unit; the tokens seen so far otherwise).
     *
     * @throws IllegalArgumentException with fewer than 2 units with a token routed at the layer
     */
    public CoActivationInterval interval95() {
        closeUnit();
        String unitsInWords = boundary.describe(units, 1);
        if (units < 2) {
            throw new IllegalArgumentException("no interval from " + unitsInWords + " with a token routed at layer "
                    + layer + ": it needs at least 2");
        }
        double[][] low = new double[numExperts][];
        double[][] high = new double[numExperts][];
        for (int a = 0; a < numExperts; a++) {
            if (unitsChosen[a] >= 2) {
                low[a] = new double[numExperts];
                high[a] = new double[numExperts];
                for (int b = 0; b < numExperts; b++) {
                    Interval cell = cell(a, b).shareInterval95(unitsInWords);
                    low[a][b] = cell.low();
                    high[a][b] = cell.high();
                }
            }
        }
        return new CoActivationInterval(low, high, Interval.LEVEL, RatioOfSums.method(unitsInWords), units,
                unitsChosen.clone());
    }

    private RatioOfSums cell(int a, int b) {
        int cell = a * numExperts + b;
        return new RatioOfSums(units, sumY[cell], sumX[a], sumYY[cell], sumXY[cell], sumXX[a]);
    }
}
