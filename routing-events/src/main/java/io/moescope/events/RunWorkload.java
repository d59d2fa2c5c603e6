package io.moescope.events;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a probe run was asked to do, recorded so that the same prompts can be run again with the same generation
 * parameters against another model or setting ({@code moescope replay --model}). Sent on {@link Topics#WORKLOADS}
 * when the run ends, because only then are all arrival times known.
 *
 * @param runId       the run it belongs to
 * @param model       the model that ran it
 * @param modelSource where the model was loaded from (a checkpoint directory)
 * @param generation  how tokens were generated
 * @param requests    the requests in the order the engine took them up
 * @param tokenTexts  token id to its text as the run's tokenizer shows the token in running text, for every id the
 *                    run used (prompt and generated); empty when unknown (workloads recorded before it existed)
 */
public record RunWorkload(String runId, ModelIdentity model, String modelSource, Generation generation,
                          List<Request> requests, Map<Integer, String> tokenTexts) {

    public RunWorkload {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelSource, "modelSource");
        Objects.requireNonNull(generation, "generation");
        requests = List.copyOf(requests);
        // null from a JSON reader that predates the field: no texts
        tokenTexts = tokenTexts == null ? Map.of() : Map.copyOf(tokenTexts);
    }

    /** A workload without token texts. */
    public RunWorkload(String runId, ModelIdentity model, String modelSource, Generation generation,
                       List<Request> requests) {
        this(runId, model, modelSource, generation, requests, Map.of());
    }

    /**
     * Generation parameters of a run.
     *
     * @param temperature  0 = greedy
     * @param stopTokenIds token ids that end a request's generation (the model's end-of-sequence)
     * @param expertCache  experts per layer resident under offloading; 0 = all resident
     * @param cachePolicy  eviction policy under offloading (LRU, LFU)
     */
    public record Generation(int maxNewTokens, double temperature, double topP, long seed, List<Integer> stopTokenIds,
                             int expertCache, String cachePolicy) {

        public Generation {
            stopTokenIds = List.copyOf(stopTokenIds);
            Objects.requireNonNull(cachePolicy, "cachePolicy");
        }
    }

    /**
     * One request: plain text, or chat messages.
     *
     * @param arrivalMicros wall clock (microseconds since the epoch) when the engine took the request up; empty when
     *                      the run ended before it did
     */
    public record Request(String requestId, String text, List<Message> messages, OptionalLong arrivalMicros) {

        public Request {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(text, "text");
            messages = List.copyOf(messages);
            Objects.requireNonNull(arrivalMicros, "arrivalMicros");
        }
    }

    /** A chat message. */
    public record Message(String role, String content) {

        public Message {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(content, "content");
        }
    }
}
