package io.moescope.traces.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.traces.model.ReleasedConfigs;
import io.moescope.traces.routing.GroupLimitedRouting.Method;
import io.moescope.traces.routing.GroupLimitedRouting.Scoring;
import org.junit.jupiter.api.Test;

/** {@link RouterRule#from} on released configs, and the refusals of what no rule here implements. */
class RouterRuleFromConfigTest {

    private static RouterRule rule(String json) {
        return RouterRule.from(ReleasedConfigs.read(json, "model"));
    }

    @Test
    void deepSeekV3RoutesBySigmoidNoauxTcInEightGroupsKeepingFour() {
        RouterRule rule = rule(ReleasedConfigs.DEEPSEEK_V3);
        assertThat(rule).isEqualTo(new GroupLimitedRouting(256, 8, Scoring.SIGMOID, Method.NOAUX_TC, 8, 4, true,
                2.5));
        assertThat(rule.needsCorrectionBias()).isTrue();
    }

    @Test
    void deepSeekV2RoutesBySoftmaxGroupLimitedGreedyScaledBySixteen() {
        assertThat(rule(ReleasedConfigs.DEEPSEEK_V2)).isEqualTo(new GroupLimitedRouting(160, 6, Scoring.SOFTMAX,
                Method.GROUP_LIMITED_GREEDY, 8, 3, false, 16));
    }

    @Test
    void deepSeekV2LiteRoutesBySoftmaxGreedy() {
        assertThat(rule(ReleasedConfigs.DEEPSEEK_V2_LITE)).isEqualTo(new GroupLimitedRouting(64, 6,
                Scoring.SOFTMAX, Method.GREEDY, 1, 1, false, 1));
    }

    @Test
    void glm4MoeRoutesAsDeepSeekV3Does() {
        assertThat(rule(ReleasedConfigs.GLM_45_AIR)).isEqualTo(new GroupLimitedRouting(128, 8, Scoring.SIGMOID,
                Method.NOAUX_TC, 1, 1, true, 1));
    }

    @Test
    void gptOssTakesTheTopKLogitsThenTheirSoftmax() {
        assertThat(rule(ReleasedConfigs.GPT_OSS_120B)).isEqualTo(new TopKSoftmax(128, 4));
    }

    @Test
    void mixtralAlwaysRenormalisesAndTheOthersFollowNormTopKProb() {
        assertThat(rule(ReleasedConfigs.MIXTRAL_8X7B)).isEqualTo(new SoftmaxTopK(8, 2, true));
        assertThat(rule(ReleasedConfigs.OLMOE_1B_7B)).isEqualTo(new SoftmaxTopK(64, 8, false));
        assertThat(rule(ReleasedConfigs.QWEN15_MOE_A27B)).isEqualTo(new SoftmaxTopK(60, 4, false));
        assertThat(rule(ReleasedConfigs.QWEN3_30B_A3B)).isEqualTo(new SoftmaxTopK(128, 8, true));
    }

    @Test
    void anUnknownScoringFunctionIsRefusedNamingKeyAndValue() {
        assertThatThrownBy(() -> rule(ReleasedConfigs.DEEPSEEK_V3.replace("\"scoring_func\": \"sigmoid\"",
                "\"scoring_func\": \"tanh\""))).hasMessage("config.json of model: \"scoring_func\" is \"tanh\", which "
                + "the router of DeepseekV3ForCausalLM does not implement; supported: sigmoid");
    }

    /** transformers' DeepseekV3TopkRouter takes the sigmoid and chooses by noaux_tc whatever the keys say. */
    @Test
    void deepSeekV3WithAnotherScoringOrMethodThanItsRouterAppliesIsRefused() {
        assertThatThrownBy(() -> rule(ReleasedConfigs.DEEPSEEK_V3.replace("\"scoring_func\": \"sigmoid\"",
                "\"scoring_func\": \"softmax\""))).hasMessageEndingWith("\"scoring_func\" is \"softmax\", which the "
                + "router of DeepseekV3ForCausalLM does not implement; supported: sigmoid");
        assertThatThrownBy(() -> rule(ReleasedConfigs.DEEPSEEK_V3.replace("\"topk_method\": \"noaux_tc\"",
                "\"topk_method\": \"greedy\""))).hasMessageEndingWith("\"topk_method\" is \"greedy\", which the "
                + "router of DeepseekV3ForCausalLM does not implement; supported: noaux_tc");
    }

    /** transformers' DeepseekV2Moe takes the softmax and knows greedy and group_limited_greedy only. */
    @Test
    void deepSeekV2WithSigmoidScoresOrNoauxTcIsRefused() {
        assertThatThrownBy(() -> rule(ReleasedConfigs.DEEPSEEK_V2_LITE.replace("\"scoring_func\": \"softmax\"",
                "\"scoring_func\": \"sigmoid\""))).hasMessageEndingWith("\"scoring_func\" is \"sigmoid\", which the "
                + "router of DeepseekV2ForCausalLM does not implement; supported: softmax");
        assertThatThrownBy(() -> rule(ReleasedConfigs.DEEPSEEK_V2_LITE.replace("\"topk_method\": \"greedy\"",
                "\"topk_method\": \"noaux_tc\""))).hasMessageEndingWith("\"topk_method\" is \"noaux_tc\", which the "
                + "router of DeepseekV2ForCausalLM does not implement; supported: greedy, group_limited_greedy");
    }

    @Test
    void anUnknownTopKMethodIsRefusedNamingKeyAndValue() {
        assertThatThrownBy(() -> rule(ReleasedConfigs.DEEPSEEK_V2_LITE.replace("\"topk_method\": \"greedy\"",
                "\"topk_method\": \"gready\""))).hasMessage("config.json of model: \"topk_method\" is \"gready\", "
                + "which the router of DeepseekV2ForCausalLM does not implement; supported: greedy, "
                + "group_limited_greedy");
    }

    @Test
    void deepSeekV2WithNormTopKProbIsRefusedBecauseItsReferencesDisagree() {
        assertThatThrownBy(() -> rule(ReleasedConfigs.DEEPSEEK_V2.replace("\"norm_topk_prob\": false",
                "\"norm_topk_prob\": true"))).hasMessageStartingWith("config.json of model: \"norm_topk_prob\": true "
                + "in DeepseekV2ForCausalLM is not supported");
    }

    @Test
    void aMissingScalingFactorIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> rule(ReleasedConfigs.DEEPSEEK_V3.replace("\"routed_scaling_factor\": 2.5,", "")))
                .hasMessage("config.json of model: \"routed_scaling_factor\" must be a number but is missing");
    }

    @Test
    void aGroupCountThatDoesNotDivideTheExpertsIsRefusedNamingTheFile() {
        assertThatThrownBy(() -> rule(ReleasedConfigs.DEEPSEEK_V3.replace("\"n_group\": 8", "\"n_group\": 7")))
                .hasMessage("config.json of model: \"n_group\" must divide the 256 routed experts but is 7");
    }

    @Test
    void anArchitectureWithoutAKnownRouterRuleIsRefusedByName() {
        assertThatThrownBy(() -> rule(ReleasedConfigs.QWEN3_30B_A3B.replace("Qwen3MoeForCausalLM",
                "Qwen3NextForCausalLM"))).hasMessageStartingWith("config.json of model: the router rule of "
                + "Qwen3NextForCausalLM is not known; known: DeepseekV2ForCausalLM, ");
    }
}
