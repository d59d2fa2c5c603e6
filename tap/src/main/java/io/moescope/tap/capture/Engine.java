package io.moescope.tap.capture;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What differs between the engines the tap stands in front of: how routing is asked for, which request field
 * shifts the rows, and where the response carries routing (docs/trace-formats.md, "Routed experts per request").
 */
public enum Engine {

    /**
     * vLLM returns routing in every non-streamed response of a server started with
     * {@code --enable-return-routed-experts}: {@code choices[i].routed_experts} and {@code prompt_routed_experts}.
     */
    VLLM("routed_experts_prompt_start", Pattern.compile("/prompt_routed_experts|/choices/\\d+/routed_experts"),
            Set.of()),

    /**
     * SGLang returns routing only when the request sets {@code return_routed_experts: true}, in
     * {@code meta_info.routed_experts} with its {@code routed_experts_dtype}. The tap asks on {@code /generate} only:
     * where the OpenAI paths' responses carry routing is not documented, and a client must not get routing fields it
     * did not ask for and the tap could not cut out.
     */
    SGLANG("routed_experts_start_len", Pattern.compile("/meta_info/routed_experts(_dtype)?"),
            Pattern.compile("/meta_info/routed_experts"), Set.of("/generate"));

    /** The request field both engines read as "return the routed experts". */
    public static final String RETURN_ROUTING = "return_routed_experts";

    private final String rowOffsetField;
    private final Pattern routingFields;
    private final Pattern payloadFields;
    private final Set<String> askPaths;

    /** An engine whose routing members all hold routed experts. */
    Engine(String rowOffsetField, Pattern routingFields, Set<String> askPaths) {
        this(rowOffsetField, routingFields, routingFields, askPaths);
    }

    Engine(String rowOffsetField, Pattern routingFields, Pattern payloadFields, Set<String> askPaths) {
        this.rowOffsetField = rowOffsetField;
        this.routingFields = routingFields;
        this.payloadFields = payloadFields;
        this.askPaths = askPaths;
    }

    /**
     * The engine of an id in any case.
     *
     * @throws IllegalArgumentException naming the ids there are
     */
    public static Engine named(String id) {
        for (Engine engine : values()) {
            if (engine.id().equalsIgnoreCase(id)) {
                return engine;
            }
        }
        throw new IllegalArgumentException("engine must be vllm or sglang but was " + id);
    }

    /** {@code vllm} or {@code sglang}: the option value, the metrics label and part of the run's source. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The body sent to the engine: the client's, byte for byte, except that SGLang is asked for routing on its
     * generation paths ({@code "return_routed_experts":true} put first) when a non-streamed request does not ask.
     */
    public byte[] forwardedBody(TapRequest request) {
        boolean ask = !askPaths.isEmpty() && askPaths.contains(pathOnly(request.path())) && request.json() != null
                && !request.streams() && !request.sets(RETURN_ROUTING);
        return ask ? JsonBytes.withFirstMember(request.body(), "\"" + RETURN_ROUTING + "\":true",
                request.json().isEmpty()) : request.body();
    }

    /** Whether the client gets the routing fields: it asked for them in its body or by the keep-routing header. */
    public boolean clientWantsRouting(TapRequest request) {
        return request.sets(RETURN_ROUTING) || request.keepRoutingHeader();
    }

    /** The leading rows the request told the engine to leave out, or null when it did not say. */
    public Integer rowOffset(TapRequest request) {
        return request.intField(rowOffsetField);
    }

    /** Whether the member at {@code pointer} (a JSON pointer such as {@code /choices/0/routed_experts}) is routing. */
    public boolean isRoutingField(String pointer) {
        return routingFields.matcher(pointer).matches();
    }

    /**
     * Whether the routing member at {@code pointer} holds the routed experts themselves (base64), not what describes
     * them (SGLang's dtype).
     */
    public boolean isRoutingPayload(String pointer) {
        return payloadFields.matcher(pointer).matches();
    }

    private static String pathOnly(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }
}
