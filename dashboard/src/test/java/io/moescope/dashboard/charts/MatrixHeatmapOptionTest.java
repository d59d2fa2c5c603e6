package io.moescope.dashboard.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MatrixHeatmapOptionTest {

    @Test
    void aDivergingScaleIsSymmetricAroundZeroAsWideAsTheLargestMagnitude() {
        var heatmap = MatrixHeatmapOption.builder().setMatrix(List.of("0", "1"), List.of("0", "1"),
                new double[][] {{-3, 1}, {2, 0}}).optDiverging().build();

        assertThat(heatmap.range()).containsExactly(-3, 3);
        assertThat(heatmap.toOption().at("/visualMap/min").asDouble()).isEqualTo(-3);
    }

    @Test
    void everyCellIsColumnRowValue() {
        var option = MatrixHeatmapOption.builder().setMatrix(List.of("a", "b"), List.of("x", "y", "z"),
                new double[][] {{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}}).optSequential(0, 1).build().toOption();

        assertThat(option.at("/series/0/data")).hasSize(6);
        assertThat(option.at("/series/0/data/5").toString()).isEqualTo("[2,1,0.6]");
    }

    @Test
    void aRaggedMatrixIsRefusedNamingTheRow() {
        assertThatThrownBy(() -> MatrixHeatmapOption.builder().setMatrix(List.of("a", "b"), List.of("x", "y"),
                new double[][] {{1, 2}, {3}}).build()).hasMessage("matrix row 1 has 1 values for 2 columns");
    }
}
