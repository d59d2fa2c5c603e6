package io.moescope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;

/**
 * What a Vaadin grid, or an HTML table, shows cut off: header and cell texts wider than their cell (drawn with an
 * ellipsis, or hidden by the cell's overflow).
 */
final class Grids {

    /**
     * Texts of the grid's shown cells (headers included) whose content overflows its box. A sortable header's text
     * sits in a vaadin-grid-sorter, whose own content part clips it.
     */
    private static final String CLIPPED = """
            const clipped = [];
            for (const content of arguments[0].querySelectorAll('vaadin-grid-cell-content, th, td')) {
              const text = content.textContent.trim();
              if (!text || content.offsetParent === null) { continue; }
              const sorter = content.querySelector('vaadin-grid-sorter');
              const boxes = [content];
              if (sorter && sorter.shadowRoot) { boxes.push(sorter.shadowRoot.querySelector('[part="content"]')); }
              if (boxes.some(box => box && box.scrollWidth > box.clientWidth + 1)) { clipped.push(text); }
            }
            return clipped;
            """;

    private Grids() {
    }

    @SuppressWarnings("unchecked")
    static List<String> clippedTexts(Browser browser, String gridId) {
        return (List<String>) ((JavascriptExecutor) browser.driver()).executeScript(CLIPPED,
                browser.driver().findElement(By.id(gridId)));
    }

    /** Vaadin sizes auto-width columns once the first rows arrive: waits a little for that before failing. */
    static void assertNothingCutOff(Browser browser, String gridId) {
        try {
            browser.waitUpTo(Duration.ofSeconds(10)).until(driver -> clippedTexts(browser, gridId).isEmpty());
        } catch (TimeoutException e) {
            assertThat(clippedTexts(browser, gridId)).as("texts cut off in #%s", gridId).isEmpty();
        }
    }
}
