package io.moescope.platform.alerts;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, by a small tokenizer (no PromQL parser is on Maven Central for
 * Java): string literals, label matchers ({...}), ranges ([...]), the label lists of by, without, on, ignoring,
 * group_left and group_right, and Grafana's variables ($run, ${run}) are dropped; of what is left, a metric name is
 * an identifier that is not a function or aggregation (followed by "("), not a keyword, and not part of a number.
 */
final class PromQlMetricNames {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    /** Possessive, so that "rate(" is not read as the name "rat" followed by "e(". */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][\\w:]*+(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan");

    private PromQlMetricNames() {
    }

    static Set<String> of(String expression) {
        String bare = expression;
        for (Pattern dropped : new Pattern[] {STRING, MATCHERS, RANGE, LABEL_LIST, VARIABLE}) {
            bare = dropped.matcher(bare).replaceAll(" ");
        }
        var names = new TreeSet<String>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            if (!KEYWORDS.contains(identifier.group().toLowerCase(Locale.ROOT))) {
                names.add(identifier.group());
            }
        }
        return names;
    }
}
