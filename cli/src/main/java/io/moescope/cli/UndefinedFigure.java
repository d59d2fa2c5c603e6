package io.moescope.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** How the commands print a figure the API answered as {@code {"value": null, "reason": ...}}. */
final class UndefinedFigure {

    private UndefinedFigure() {
    }

    /** "undefined, REASON": a blank would read as "not computed", a number as if it meant something. */
    static String describe(JsonNode defined) {
        return "undefined, " + defined.path("reason").asText();
    }
}
