package io.moescope.dashboard.imports;

import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.server.streams.UploadHandler;
import io.moescope.dashboard.LiveRefresh;
import io.moescope.platform.imports.ImportStatus;
import io.moescope.platform.imports.TraceImports;
import io.moescope.traces.importer.ModelHints;
import io.moescope.traces.importer.TraceFormat;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Upload a trace file and import it through Kafka: the format detected or chosen, progress with rows/s while it
 * runs, then the import summary.
 */
class ImportPanel extends VerticalLayout {

    static final String DETECT = "detect";

    private final TraceImports imports;
    private final Select<String> format = new Select<>();
    private final TextField runName = new TextField("Run name");
    private final TextField modelId = new TextField("Model id");
    private final IntegerField topK = new IntegerField("Top-k");
    private final ProgressBar progress = new ProgressBar();
    private final Span status = new Span();
    private final Pre summary = new Pre();
    private volatile String importId;

    ImportPanel(TraceImports imports) {
        this.imports = imports;
        setPadding(false);
        format.setLabel("Format");
        format.setId("import-format");
        format.setItems(formats());
        format.setValue(DETECT);
        runName.setId("import-run-name");
        runName.setPlaceholder("default: the file's name");
        // what `moescope import --model-id --top-k` give: a trace that only counts choices (llama.cpp's moe-trace)
        // cannot tell its top-k
        modelId.setId("import-model-id");
        modelId.setPlaceholder("e.g. mistralai/Mixtral-8x7B-v0.1");
        modelId.setHelperText("a known model sets N and k");
        topK.setId("import-top-k");
        topK.setMin(1);
        topK.setMax(TraceImports.MAX_TOP_K);
        topK.setHelperText("experts per token, where the trace does not say");
        Upload upload = new Upload(UploadHandler.toTempFile((metadata, file) -> started(
                imports.start(file.toPath(), metadata.fileName(), chosenFormat(), Optional.of(runName.getValue()),
                        model()))));
        upload.setId("import-upload");
        upload.setMaxFiles(1);
        upload.setDropLabel(new Span("Drop a trace file here: vLLM hook, route log, routed experts, HF logits, CSV,"
                + " Megatron router trace, llama.cpp moe-trace or a moescope export"));
        progress.setId("import-progress");
        progress.setVisible(false);
        status.setId("import-status");
        summary.setId("import-summary");
        summary.getStyle().set("white-space", "pre-wrap");
        summary.setVisible(false);
        add(new H3("Import a trace"), new HorizontalLayout(format, runName, modelId, topK), upload, progress, status,
                summary);
        LiveRefresh.whileAttached(this, this::refresh);
    }

    /** The formats one uploaded file can hold: a directory of files (TensorRT-LLM's statistics) cannot be uploaded. */
    private static String[] formats() {
        return Stream.concat(Stream.of(DETECT), Arrays.stream(TraceFormat.values())
                .filter(f -> !f.isDirectory()).map(TraceFormat::id)).toArray(String[]::new);
    }

    private Optional<TraceFormat> chosenFormat() {
        String value = format.getValue();
        return value == null || value.equals(DETECT) ? Optional.empty() : Optional.of(TraceFormat.of(value));
    }

    /** The model as the user named it; a top-k the field cannot read (not a number) is left to the trace. */
    private ModelHints model() {
        String id = modelId.getValue();
        return new ModelHints(null, null, id == null || id.isBlank() ? null : id.strip(), null, topK.getValue(), null);
    }

    /** Called when the upload finished, possibly outside the UI's lock. */
    private void started(ImportStatus started) {
        importId = started.importId();
        getUI().ifPresent(ui -> ui.access(() -> show(started)));
    }

    private void refresh() {
        String id = importId;
        if (id != null) {
            imports.status(id).ifPresent(this::show);
        }
    }

    private void show(ImportStatus s) {
        progress.setVisible(!s.ended());
        progress.setIndeterminate(true);
        status.setText(switch (s.state()) {
            case "SCANNING" -> String.format("%s: pass 1/2, scanning: %,d rows (%,.0f rows/s)", s.fileName(),
                    s.rows(), s.rowsPerSecond());
            case "SENDING" -> String.format("%s: pass 2/2, sending: %,d rows (%,.0f rows/s)", s.fileName(), s.rows(),
                    s.rowsPerSecond());
            case "FINISHED" -> String.format("%s: imported, %,d rows at %,.0f rows/s", s.fileName(), s.rows(),
                    s.rowsPerSecond());
            default -> s.fileName() + ": import failed: " + s.error();
        });
        summary.setText(String.join("\n", s.summary()));
        summary.setVisible(!s.summary().isEmpty());
        if (s.ended()) {
            importId = null;
        }
    }
}
