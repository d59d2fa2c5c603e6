package io.moescope.traces.importer;

/**
 * How to import.
 *
 * @param format             the format the user named, or null to detect it
 * @param runName            the run's name, or null (the export's run name, else the file name)
 * @param hints              what the user says about the model (N, k, normalisation, model id); fields may be null
 * @param includeWarmup      send warm-up artefacts (marked) instead of leaving them out
 * @param warmupMinDecisions identical consecutive decisions (tokens x layers), anywhere in a file, from which on
 *                           they are treated as an engine's warm-up passes (docs/trace-formats.md)
 * @param maxPendingTokens   tokens waiting for their missing layers before they are sent incomplete (bounds memory)
 * @param maxLineChars       longer lines are rejected by file and line without being read whole (bounds memory)
 */
public record ImportOptions(TraceFormat format, String runName, ModelHints hints, boolean includeWarmup,
                            int warmupMinDecisions, int maxPendingTokens, int maxLineChars) {

    public static final int DEFAULT_WARMUP_MIN_DECISIONS = 1000;
    public static final int DEFAULT_MAX_PENDING_TOKENS = 65_536;
    /**
     * 32 Mi characters: a vLLM routed-experts line of a 32k-token request over 61 layers x top-8 is about 16 M.
     * Parsing a line takes roughly 50 times its size in heap, so the default needs about 1.6 GB at worst.
     */
    public static final int DEFAULT_MAX_LINE_CHARS = 32 << 20;

    public ImportOptions {
        hints = hints == null ? ModelHints.NONE : hints;
        if (warmupMinDecisions < 1 || maxPendingTokens < 1) {
            throw new IllegalArgumentException("warmupMinDecisions and maxPendingTokens must be >= 1");
        }
        if (maxLineChars < 1 || maxLineChars > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("--max-line-chars must be between 1 and " + (Integer.MAX_VALUE - 16)
                    + " but was " + maxLineChars);
        }
    }

    public static ImportOptions defaults() {
        return new ImportOptions(null, null, ModelHints.NONE, false, DEFAULT_WARMUP_MIN_DECISIONS,
                DEFAULT_MAX_PENDING_TOKENS, DEFAULT_MAX_LINE_CHARS);
    }

    public ImportOptions withMaxLineChars(int chars) {
        return new ImportOptions(format, runName, hints, includeWarmup, warmupMinDecisions, maxPendingTokens, chars);
    }

    public ImportOptions withFormat(TraceFormat f) {
        return new ImportOptions(f, runName, hints, includeWarmup, warmupMinDecisions, maxPendingTokens,
                maxLineChars);
    }

    public ImportOptions withRunName(String name) {
        return new ImportOptions(format, name, hints, includeWarmup, warmupMinDecisions, maxPendingTokens,
                maxLineChars);
    }

    public ImportOptions withHints(ModelHints h) {
        return new ImportOptions(format, runName, h, includeWarmup, warmupMinDecisions, maxPendingTokens,
                maxLineChars);
    }

    public ImportOptions withWarmup(boolean include, int minDecisions) {
        return new ImportOptions(format, runName, hints, include, minDecisions, maxPendingTokens,
                maxLineChars);
    }
}
