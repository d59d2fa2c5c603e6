package io.moescope.dashboard.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class EChartTest {

    @Test
    void sendsTheOptionAsJsonAndGivesTheHostASize() {
        ObjectNode option = JsonNodeFactory.instance.objectNode().put("animation", false);
        EChart chart = new EChart(option, "320px");
        assertThat(chart.getElement().getTag()).isEqualTo("moescope-chart");
        assertThat(chart.getElement().getProperty("option")).isEqualTo("{\"animation\":false}");
        assertThat(chart.getHeight()).isEqualTo("320px");
        assertThat(chart.getStyle().get("display")).isEqualTo("block");
    }

    @Test
    void replacesTheOption() {
        EChart chart = new EChart(JsonNodeFactory.instance.objectNode(), "100px");
        chart.setOption(JsonNodeFactory.instance.objectNode().put("title", "x"));
        assertThat(chart.getOptionJson()).isEqualTo("{\"title\":\"x\"}");
        assertThat(chart.getElement().getProperty("option")).isEqualTo("{\"title\":\"x\"}");
    }
}
