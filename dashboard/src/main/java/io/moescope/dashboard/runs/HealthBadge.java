package io.moescope.dashboard.runs;

import com.vaadin.flow.data.renderer.LitRenderer;
import io.moescope.platform.alerts.RunHealth;
import java.util.Locale;

/** The health column: a coloured pill per run, in Lumo's colours (error, warning-ish contrast, success). */
final class HealthBadge {

    private HealthBadge() {
    }

    static LitRenderer<RunRow> renderer() {
        return LitRenderer.<RunRow>of("""
                        <span class="health-badge" data-health="${item.label}" title="${item.title}" \
                        style="padding: 0 0.6em; border-radius: 1em; font-size: var(--lumo-font-size-s); \
                        color: ${item.colour}; background: ${item.background}">${item.label}</span>""")
                .withProperty("label", row -> label(row.health()))
                .withProperty("title", row -> title(row.health()))
                .withProperty("colour", row -> colour(row.health()))
                .withProperty("background", row -> background(row.health()));
    }

    static String label(RunHealth health) {
        return health.name().toLowerCase(Locale.ROOT);
    }

    private static String title(RunHealth health) {
        return switch (health) {
            case FIRING -> "An alert about this run is firing: see Alerts";
            case PENDING -> "An alert condition holds and will fire if it lasts: see Alerts";
            case OK -> "No alert about this run is pending or firing";
        };
    }

    private static String colour(RunHealth health) {
        return switch (health) {
            case FIRING -> "var(--lumo-error-contrast-color)";
            case PENDING -> "var(--lumo-body-text-color)";
            case OK -> "var(--lumo-success-text-color)";
        };
    }

    private static String background(RunHealth health) {
        return switch (health) {
            case FIRING -> "var(--lumo-error-color)";
            case PENDING -> "var(--lumo-warning-color-10pct, var(--lumo-contrast-20pct))";
            case OK -> "var(--lumo-success-color-10pct)";
        };
    }
}
