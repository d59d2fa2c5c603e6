/**
 * Routing traces without an inference engine: everything that reads, writes or moves a run's events.
 *
 * <ul>
 *   <li>{@link io.moescope.traces.RoutingSink}: where a run's events go</li>
 *   <li>{@code importer}: other tools' traces (vLLM hooks, HF router logits, CSV, our JSONL) into routing events</li>
 *   <li>{@code export}: a stored run as CSV or JSONL</li>
 *   <li>{@code replay}: a recorded run sent again, at its own pace</li>
 *   <li>{@code delivery}: the Kafka sink with its spool file and delivery report</li>
 * </ul>
 */
package io.moescope.traces;
