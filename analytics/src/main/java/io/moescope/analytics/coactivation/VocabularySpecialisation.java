package io.moescope.analytics.coactivation;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;

/**
 * Vocabulary specialisation of one layer (OLMoE, Muennighoff et al. 2024, arXiv:2409.02060, and its released
 * analysis script): for each token id x with at least {@code minOccurrences} occurrences, the share of x's
 * occurrences whose top-k contains x's most frequent expert; the unweighted mean over those ids. A router that
 * ignores the token id scores about the random baseline k/N; 1 means every id always goes to its own expert.
 *
 * @param layer          decoder layer index
 * @param minOccurrences ids seen fewer times were left out
 * @param idsCounted     ids that qualified (always &gt;= 1)
 * @param mean           unweighted mean over qualified ids
 * @param baseline       k / N
 * @param interval95     the mean's 95 % interval by bootstrap over the qualified ids, each id's share held fixed
 *                       (what other ids of the same vocabulary would give; not the noise within an id), or undefined
 *                       with the reason (a single id)
 */
public record VocabularySpecialisation(int layer, int minOccurrences, int idsCounted, double mean, double baseline,
                                       Defined<Interval> interval95) {
}
