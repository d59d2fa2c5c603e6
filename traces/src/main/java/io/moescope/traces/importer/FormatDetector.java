package io.moescope.traces.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the format of a file from its first non-blank lines, and refuses a file that is not the format asked for. */
public final class FormatDetector {

    public static final int HEAD_LINES = 3;

    private final List<TraceImporter> importers;

    public FormatDetector(List<TraceImporter> importers) {
        this.importers = List.copyOf(importers);
    }

    /** Every format moescope reads, most specific first (detection takes the first that recognises a file). */
    public static List<TraceImporter> all() {
        return List.of(new MoescopeJsonlImporter(), new RouteLogImporter(), new HfLogitsImporter(),
                new RoutedExpertsImporter(), new VllmHookImporter(), new MegatronRouterTraceImporter(),
                new TensorRtExpertStatisticImporter(), new LlamaCppMoeTraceImporter(), new CsvImporter());
    }

    public Optional<TraceImporter> detect(Path file) throws IOException {
        return detect(TraceSource.of(file));
    }

    public Optional<TraceImporter> detect(TraceSource source) throws IOException {
        List<String> head = head(source);
        return importers.stream().filter(i -> i.recognises(head)).findFirst();
    }

    /**
     * @param expected the format the user named, or null to detect it
     * @throws IllegalArgumentException naming the expected and the detected format when they differ, or saying that
     *                                  the file is empty or that no format was recognised
     */
    public TraceImporter choose(Path file, TraceFormat expected) throws IOException {
        return choose(TraceSource.of(file), expected);
    }

    /** {@link #choose(Path, TraceFormat)} for any source. */
    public TraceImporter choose(TraceSource source, TraceFormat expected) throws IOException {
        Path file = source.name();
        if (blank(source)) {
            // said as such: "format not recognised" would send the user looking for the wrong fault
            throw new IllegalArgumentException(file + ": the file is empty (nothing but blank lines)");
        }
        Optional<TraceImporter> detected = detect(source);
        if (expected == null) {
            return detected.orElseThrow(() -> new IllegalArgumentException(file + ": format not recognised (one of "
                    + TraceFormat.ids() + "); name it with --format"));
        }
        TraceImporter wanted = importers.stream().filter(i -> i.format() == expected).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no importer for " + expected));
        if (detected.isPresent() && detected.get().format() != expected && !wanted.recognises(head(source))) {
            throw new IllegalArgumentException(file + ": expected format " + expected + " but the file is "
                    + detected.get().format());
        }
        if (detected.isEmpty()) {
            throw new IllegalArgumentException(file + ": expected format " + expected
                    + " but the file is not in any format moescope reads");
        }
        return wanted;
    }

    /** Whether the source holds nothing but white space: read up to its first other character. */
    private static boolean blank(TraceSource source) throws IOException {
        try (BufferedReader reader = source.open()) {
            for (int c = reader.read(); c >= 0; c = reader.read()) {
                if (!Character.isWhitespace(c)) {
                    return false;
                }
            }
            return true;
        } catch (java.nio.charset.MalformedInputException e) {
            return false; // binary data is not empty: detection says it is in no format
        }
    }

    private static List<String> head(TraceSource source) throws IOException {
        List<String> head = new ArrayList<>();
        try (BufferedReader reader = source.open()) {
            while (head.size() < HEAD_LINES) {
                String line;
                try {
                    line = reader.readLine();
                } catch (LineTooLongException e) {
                    continue; // the importer rejects it by line; detection looks at the lines it can read
                }
                if (line == null) {
                    break;
                }
                if (!line.isBlank()) {
                    head.add(line);
                }
            }
        } catch (java.nio.charset.MalformedInputException e) {
            // binary data: no text format recognises it
        }
        return head;
    }
}
