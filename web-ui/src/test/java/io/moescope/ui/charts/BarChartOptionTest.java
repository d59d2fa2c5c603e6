package io.moescope.ui.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class BarChartOptionTest {

    @Test
    void valuesAreRoundedInJava() {
        ObjectNode option = BarChartOption.builder().setData(List.of("0", "1"), new double[] {0.123456, 2.0 / 3})
                .optTitle("MaxVio per layer", "all tokens").optDecimals(3).build().toOption();
        assertThat(option.at("/series/0/data").toString()).isEqualTo("[0.123,0.667]");
        assertThat(option.at("/series/0/type").asText()).isEqualTo("bar");
        assertThat(option.at("/xAxis/data").toString()).isEqualTo("[\"0\",\"1\"]");
    }

    @Test
    void rejectsOneValueTooMany() {
        assertThatThrownBy(() -> BarChartOption.builder().setData(List.of("0"), new double[] {1, 2}).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
