package io.moescope.browser;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Where the browser's time goes during one action (a page load, a click), from Chromium's own instruments through
 * chromedriver's DevTools command endpoint (commands only, no event stream: it works whatever Selenium's DevTools
 * version): the renderer's {@code Performance.getMetrics} before and after (script, style, layout time, DOM nodes),
 * a sampled V8 CPU profile ({@code Profiler.start/stop}) summed by function, the page's long animation frames with
 * their scripts, and DOM nodes (shadow roots included) under each panel.
 */
final class PageProfile {

    private static final List<String> METRICS = List.of("TaskDuration", "ScriptDuration", "RecalcStyleDuration",
            "LayoutDuration", "RecalcStyleCount", "LayoutCount", "Nodes", "JSEventListeners", "JSHeapUsedSize");
    /** Long animation frames of the current document (the buffer keeps them from its start) and their scripts. */
    private static final String FRAMES = """
            const done = arguments[arguments.length - 1];
            new PerformanceObserver(() => {}).observe({type: 'long-animation-frame', buffered: true});
            const frames = [];
            const observer = new PerformanceObserver(list => {
              for (const f of list.getEntries()) {
                frames.push([Math.round(f.startTime), Math.round(f.duration),
                             Math.round(f.renderStart ? f.renderStart - f.startTime : -1),
                             Math.round(f.styleAndLayoutStart ? f.startTime + f.duration - f.styleAndLayoutStart : -1),
                             f.scripts.map(s => Math.round(s.duration) + ' ms ' + s.invoker + ' '
                                 + (s.sourceFunctionName || '') + ' ' + (s.sourceURL || '').replace(/.*\\//, '')
                                 + (s.forcedStyleAndLayoutDuration ? ' (forced layout '
                                    + Math.round(s.forcedStyleAndLayoutDuration) + ' ms)' : '')).join('; ')]);
              }
            });
            observer.observe({type: 'long-animation-frame', buffered: true});
            setTimeout(() => { observer.disconnect(); done(frames); }, 200);""";
    /** DOM nodes under each element with an id given, shadow roots included. */
    private static final String NODES = """
            const count = n => { let c = 1; if (n.shadowRoot) for (const k of n.shadowRoot.children) c += count(k);
                                 for (const k of n.children) c += count(k); return c; };
            return arguments[0].map(id => { const e = document.getElementById(id);
                                            return e === null ? -1 : count(e); });""";

    /** Records each XHR (Vaadin's requests): when sent, what it asked, when answered, how large the answer. */
    private static final String RECORD_XHR = """
            if (!window.moescopeXhr) {
              window.moescopeXhr = [];
              const open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
              XMLHttpRequest.prototype.open = function (m, url) { this.moescopeUrl = url;
                                                                   return open.apply(this, arguments); };
              XMLHttpRequest.prototype.send = function (body) {
                const r = {url: String(this.moescopeUrl).replace(/.*\\?/, ''), sent: performance.now(),
                           body: String(body || '').substring(0, 400)};
                window.moescopeXhr.push(r);
                this.addEventListener('load', () => { r.answered = performance.now();
                                                      r.size = this.responseText.length;
                                                      if (r.size > 50000) window.moescopeUidl = this.responseText; });
                this.addEventListener('loadend', () => setTimeout(() => r.handled = performance.now()));
                return send.apply(this, arguments);
              };
            }""";
    private static final String XHRS = """
            return (window.moescopeXhr || []).map(r => Math.round(r.sent) + ' -> ' + Math.round(r.answered)
                + ' (handled ~' + Math.round(r.handled) + ') ' + r.size + ' chars  ' + r.url + '  ' + r.body);""";

    private PageProfile() {
    }

    /** Runs {@code action} under the profiler and prints what it found; {@code panels} are element ids. */
    static void print(Browser browser, String what, Runnable action, List<String> panels) {
        ChromeDriver driver = (ChromeDriver) browser.driver();
        driver.executeCdpCommand("Performance.enable", Map.of());
        driver.executeCdpCommand("Profiler.enable", Map.of());
        driver.executeCdpCommand("Profiler.setSamplingInterval", Map.of("interval", 200));
        Map<String, Double> before = metrics(driver);
        driver.executeCdpCommand("Page.enable", Map.of());
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_XHR));
        ((JavascriptExecutor) driver).executeScript(RECORD_XHR + "window.moescopeXhr.length = 0;");
        driver.executeCdpCommand("Profiler.start", Map.of());
        long t = System.nanoTime();
        action.run();
        double millis = (System.nanoTime() - t) / 1e6;
        Map<String, Object> stopped = driver.executeCdpCommand("Profiler.stop", Map.of());
        Map<String, Double> after = metrics(driver);
        System.out.printf("Profile of %s (%.0f ms):%n  renderer metrics, after - before:%n", what, millis);
        for (String m : METRICS) {
            double delta = after.getOrDefault(m, 0.0) - before.getOrDefault(m, 0.0);
            System.out.printf("    %-22s %12.1f%s%n", m, m.endsWith("Duration") ? delta * 1000 : delta,
                    m.endsWith("Duration") ? " ms" : "");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> profile = (Map<String, Object>) stopped.get("profile");
        printProfile(profile);
        save(what, "profile", new org.openqa.selenium.json.Json().toJson(profile));
        save(what, "uidl", (String) ((JavascriptExecutor) driver).executeScript("return window.moescopeUidl || '';"));
        @SuppressWarnings("unchecked")
        List<List<Object>> frames = (List<List<Object>>) ((JavascriptExecutor) driver).executeAsyncScript(FRAMES);
        System.out.println("  long animation frames (start ms, duration, to render, style+layout, scripts):");
        frames.forEach(f -> System.out.printf("    %6s %5s ms  render at +%s  style+layout %s  %s%n",
                f.get(0), f.get(1), f.get(2), f.get(3), f.get(4)));
        @SuppressWarnings("unchecked")
        List<String> xhrs = (List<String>) ((JavascriptExecutor) driver).executeScript(XHRS);
        System.out.println("  requests (ms since the document's start):");
        xhrs.forEach(x -> System.out.println("    " + x));
        @SuppressWarnings("unchecked")
        List<Number> nodes = (List<Number>) ((JavascriptExecutor) driver).executeScript(NODES, panels);
        System.out.println("  DOM nodes (shadow roots included):");
        for (int i = 0; i < panels.size(); i++) {
            System.out.printf("    %-24s %6d%n", panels.get(i), nodes.get(i).intValue());
        }
    }

    /**
     * With {@code -Dbench.profile.dir=DIR}: the CPU profile (open it in Chrome's DevTools, Performance tab) and the
     * largest Vaadin response of the action, to read at leisure.
     */
    private static void save(String what, String kind, String content) {
        String dir = System.getProperty("bench.profile.dir");
        if (dir != null) {
            String name = what.replaceAll("[^A-Za-z0-9]+", "-") + "." + kind + (kind.equals("profile") ? ".cpuprofile"
                    : ".json");
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(dir, name), content);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static Map<String, Double> metrics(ChromeDriver driver) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) driver
                .executeCdpCommand("Performance.getMetrics", Map.of()).get("metrics");
        var out = new HashMap<String, Double>();
        list.forEach(m -> out.put((String) m.get("name"), ((Number) m.get("value")).doubleValue()));
        return out;
    }

    /** Self time by function (name, file, line), and by script file; (idle) and (program) as V8 names them. */
    @SuppressWarnings("unchecked")
    private static void printProfile(Map<String, Object> profile) {
        var nodes = (List<Map<String, Object>>) profile.get("nodes");
        var samples = (List<Number>) profile.get("samples");
        var deltas = (List<Number>) profile.get("timeDeltas");
        Map<Long, String> function = new HashMap<>();
        Map<Long, String> file = new HashMap<>();
        for (var node : nodes) {
            var frame = (Map<String, Object>) node.get("callFrame");
            String url = ((String) frame.get("url")).replaceAll(".*/", "");
            String name = (String) frame.get("functionName");
            long id = ((Number) node.get("id")).longValue();
            function.put(id, (name.isEmpty() ? "(anonymous)" : name) + " " + url + ":" + frame.get("lineNumber"));
            file.put(id, url.isEmpty() ? (name.startsWith("(") ? name : "(native)") : url);
        }
        Map<String, Double> byFunction = new HashMap<>();
        Map<String, Double> byFile = new HashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            long id = samples.get(i).longValue();
            // a sample's delta is the time since the previous one: charge it to this sample's function
            double ms = deltas.get(i).doubleValue() / 1000;
            byFunction.merge(function.get(id), ms, Double::sum);
            byFile.merge(file.get(id), ms, Double::sum);
        }
        System.out.println("  CPU profile, self time by script file:");
        top(byFile, 12).forEach(e -> System.out.printf("    %8.1f ms  %s%n", e.getValue(), e.getKey()));
        System.out.println("  CPU profile, self time by function (top 30):");
        top(byFunction, 30).forEach(e -> System.out.printf("    %8.1f ms  %s%n", e.getValue(), e.getKey()));
    }

    private static List<Map.Entry<String, Double>> top(Map<String, Double> times, int n) {
        var list = new ArrayList<>(times.entrySet());
        list.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return list.subList(0, Math.min(n, list.size()));
    }
}
