package io.moescope.dashboard.charts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;
import java.util.Objects;

/**
 * An Apache ECharts chart. The whole ECharts option travels as one JSON string property; the
 * {@code moescope-chart} element parses it and calls {@code setOption(option, true)}.
 *
 * <p>Once ECharts has drawn an option, the element carries the attribute {@code data-rendered}
 * (removed while a new option is pending), so browser tests can wait for a real drawing rather
 * than for the canvas, which exists before anything is drawn.
 *
 * <p>Functions cannot travel in JSON: builders round values in Java, and may name a formatter the
 * element knows ({@code "formatter": "@cell"}, see {@code moescope-chart.ts}).
 */
@Tag("moescope-chart")
@NpmPackage(value = "echarts", version = "5.6.0")
@JsModule("./moescope-chart.ts")
public class EChart extends Component implements HasSize {

    private String optionJson = "";

    /**
     * @param option the ECharts option
     * @param height a CSS height; ECharts draws into a 0x0 box without one
     */
    public EChart(ObjectNode option, String height) {
        // The element is light DOM and ECharts measures it: it must be a block with a size.
        getStyle().set("display", "block");
        setWidthFull();
        setHeight(Objects.requireNonNull(height, "height"));
        setOption(option);
    }

    /** Replaces the option; does nothing (and sends nothing) when it is unchanged. */
    public final void setOption(ObjectNode option) {
        String json = Objects.requireNonNull(option, "option").toString();
        if (!json.equals(optionJson)) {
            optionJson = json;
            getElement().setProperty("option", json);
        }
    }

    /** The option as sent to the browser, as JSON. */
    public String getOptionJson() {
        return optionJson;
    }
}
