// The benchmark table: per agent (and noise setting, when a suite has several) and task length —
// success rate with its standard error, the same for success within 2x the oracle's steps, steps / oracle_steps, planning time, training time and
// model size. Computed from the per-episode rows alone, so a merge of shard files prints exactly
// the table one run would.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "app/bench/results.hpp"

namespace hjepa {

// "Success within 2x the oracle": an episode that succeeded in at most this many times oracle_steps.
constexpr int kOracleStepFactor = 2;
// Resamples of the median's bootstrap interval.
constexpr int kBootstrapResamples = 2000;

struct SummaryGroup {
  std::string agent;
  double noise_motion = 0, noise_perception = 0, noise_range = 0;
  int length = 0;                // task colours; 0: every length of the agent and noise setting pooled
  int64_t episodes = 0, successes = 0;
  double success_rate = 0;       // mean over model seeds when se_over_model_seeds, else successes / episodes
  double success_se = 0;         // standard error of success_rate
  int model_seeds = 0;           // distinct model seeds among the rows (0 without a model)
  bool se_over_model_seeds = false;  // spread over >= 2 model seeds; otherwise binomial over episodes
  int64_t quick_successes = 0;   // successes with steps <= kOracleStepFactor x oracle_steps
  double quick_rate = 0, quick_se = 0;  // their rate and its standard error, computed as success_rate's
  int64_t ratio_count = 0;       // successful episodes with oracle_steps > 0
  double ratio_median = 0, ratio_mean = 0;  // steps / oracle_steps over those; NaN when ratio_count = 0
  // A 95% interval for ratio_median: percentile bootstrap over the group's clusters (one per map and
  // model seed: episodes that share a map and a model are not independent), kBootstrapResamples
  // resamples drawn from a fixed seed; NaN with fewer than 2 clusters.
  double ratio_median_low = 0, ratio_median_high = 0;
  int clusters = 0;              // maps x model seeds among the group's successful episodes
  double ms_per_step = 0;        // total milliseconds / total steps
  double predictor_calls = 0;    // mean single-state predictor evaluations per episode
  int models = 0, models_trained = 0;  // distinct models used; how many were trained (not loaded) by the run
  double train_seconds = 0;      // mean training seconds over the trained ones
  int64_t parameters = 0;        // largest model among the rows (0 without a model)
};

struct BenchSummary {
  std::string suite, config;
  int64_t episodes = 0, suite_episodes = 0;
  bool noise_varies = false;     // more than one noise setting: the table has noise columns
  std::vector<SummaryGroup> groups;
};

// Rows of one run (or merged shards). Groups are ordered by agent (agent_names() order), noise, length;
// after an agent and noise setting's lengths (when there are several), a group of them all (length 0).
BenchSummary summarize(const std::vector<EpisodeRow>& rows);
// The 95% percentile-bootstrap interval of the median of the pooled values: each resample draws as
// many clusters as there are, with replacement, from a generator seeded with `seed`. {NaN, NaN} with
// fewer than 2 clusters or no values.
std::pair<double, double> bootstrap_median_interval(const std::vector<std::vector<double>>& clusters, int resamples, uint64_t seed);
// The table as aligned text or as Markdown, with a title line and a legend.
std::string format_summary(const BenchSummary& summary, bool markdown);
std::string summary_to_json(const BenchSummary& summary);

}  // namespace hjepa
