package io.moescope.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.ingest.support.TestPostgres;
import io.moescope.storage.rollups.CountGrid;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The SQL reader of the minute grids ({@code moescope_grid_cells}, behind the views {@code expert_load_minute} and
 * {@code expert_load_hourly}) reads every cell exactly as the Java codec ingest writes with.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CountGridFunctionsTest {

    private DataSource db;

    @BeforeAll
    void migrate() {
        db = TestPostgres.createMigratedDatabase("count_grid");
    }

    @Test
    void sqlReadsEveryCellOfAGridOfEachWidthAsJavaWroteIt() throws SQLException {
        for (long largest : new long[] {15, 255, 65_535, 4_294_967_295L, Long.MAX_VALUE}) {
            CountGrid grid = deepSeekShaped(new SplittableRandom(largest), largest, 1);

            assertThat(cellsInSql(grid)).as("every count below %d", largest).isEqualTo(cells(grid));
        }
    }

    @Test
    void sqlReadsTheEscapedCountsOfAFourBitGridAsJavaWroteThem() throws SQLException {
        for (long largest : new long[] {255, 65_535, 4_294_967_295L, Long.MAX_VALUE}) {
            CountGrid grid = deepSeekShaped(new SplittableRandom(largest), largest, 20);

            assertThat(grid.encoded()[0]).as("bits per cell: packed, with escapes").isBetween((byte) 1, (byte) 8);
            assertThat(cellsInSql(grid)).as("one count in 20 below %d", largest).isEqualTo(cells(grid));
        }
    }

    @Test
    void aPaddedLastByteOfPackedCellsReadsNoCellBeyondTheGrid() throws SQLException {
        var grid = new CountGrid(new int[] {1}, 3, new long[] {1, 2, 3});

        assertThat(cellsInSql(grid)).containsExactly("1 0 1", "1 1 2", "1 2 3");
    }

    private List<String> cellsInSql(CountGrid grid) throws SQLException {
        var cells = new ArrayList<String>();
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT layer, expert, tokens FROM moescope_grid_cells(?)")) {
            s.setBytes(1, grid.encoded());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    cells.add(rs.getInt(1) + " " + rs.getInt(2) + " " + rs.getLong(3));
                }
            }
        }
        return cells;
    }

    /**
     * DeepSeek-V3's shape, MoE layers 3..60 of 256 experts: one count in {@code oneIn} below {@code largest}, the
     * others below 10, and one count of {@code largest}.
     */
    private static CountGrid deepSeekShaped(SplittableRandom random, long largest, int oneIn) {
        int[] layers = new int[58];
        long[] counts = new long[58 * 256];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = 3 + i;
        }
        for (int c = 0; c < counts.length; c++) {
            counts[c] = random.nextInt(oneIn) == 0 ? random.nextLong(largest) : random.nextInt(10);
        }
        counts[random.nextInt(counts.length)] = largest;
        return new CountGrid(layers, 256, counts);
    }

    private static List<String> cells(CountGrid grid) {
        var cells = new ArrayList<String>();
        for (int i = 0; i < grid.layers().length; i++) {
            for (int e = 0; e < grid.experts(); e++) {
                cells.add(grid.layers()[i] + " " + e + " " + grid.counts()[i * grid.experts() + e]);
            }
        }
        return cells;
    }
}
