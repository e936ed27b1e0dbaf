// Summary statistics and the table (see summary.hpp).
#include "app/bench/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "app/agent_factory.hpp"
#include "sim/rng.hpp"

namespace hjepa {

namespace {

int agent_rank(const std::string& agent) {
  const auto& names = agent_names();
  return static_cast<int>(std::find(names.begin(), names.end(), agent) - names.begin());
}

using GroupKey = std::tuple<int, std::string, double, double, double, int>;

GroupKey key_of(const EpisodeRow& r) {
  return {agent_rank(r.agent), r.agent, r.noise_motion, r.noise_perception, r.noise_range, r.length};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The bootstrap's generator seed: every table's intervals are the same for the same rows.
constexpr uint64_t kBootstrapSeed = 20261204;

SummaryGroup summarize_group(const std::vector<const EpisodeRow*>& rows) {
  SummaryGroup g;
  const EpisodeRow& first = *rows.front();
  g.agent = first.agent;
  g.noise_motion = first.noise_motion, g.noise_perception = first.noise_perception, g.noise_range = first.noise_range;
  g.length = first.length;
  struct Counts {
    int64_t successes = 0, quick = 0, episodes = 0;
  };
  std::map<uint64_t, Counts> per_seed;  // model seed -> counts
  std::map<std::string, double> models;                      // model -> training seconds
  std::vector<double> ratios;
  std::map<std::pair<std::string, uint64_t>, std::vector<double>> by_cluster;  // (map, model seed) -> ratios
  double total_ms = 0, total_steps = 0;
  for (const EpisodeRow* r : rows) {
    const bool quick = r->success && r->steps <= static_cast<int64_t>(kOracleStepFactor) * r->oracle_steps;
    ++g.episodes;
    g.successes += r->success;
    g.quick_successes += quick;
    if (r->model_seed) {
      Counts& c = per_seed[*r->model_seed];
      c.successes += r->success;
      c.quick += quick;
      ++c.episodes;
    }
    if (!r->model.empty()) models[r->model] = r->train_seconds;
    if (r->success && r->oracle_steps > 0) {
      ratios.push_back(static_cast<double>(r->steps) / r->oracle_steps);
      by_cluster[{r->map, r->model_seed.value_or(0)}].push_back(ratios.back());
    }
    total_ms += r->ms_per_step * r->steps;
    g.predictor_calls += static_cast<double>(r->predictor_calls);
    total_steps += r->steps;
    g.parameters = std::max(g.parameters, r->parameters);
  }
  g.model_seeds = static_cast<int>(per_seed.size());
  g.se_over_model_seeds = per_seed.size() >= 2;
  // A rate and its standard error: mean and spread of the per-seed rates, else binomial over episodes.
  auto rate = [&](int64_t Counts::*hits, int64_t total_hits, double& mean, double& se) {
    if (g.se_over_model_seeds) {
      std::vector<double> rates;
      for (const auto& [seed, counts] : per_seed) rates.push_back(static_cast<double>(counts.*hits) / counts.episodes);
      double var = 0;
      mean = 0;
      for (double x : rates) mean += x / rates.size();
      for (double x : rates) var += (x - mean) * (x - mean) / (rates.size() - 1);
      se = std::sqrt(var / rates.size());
    } else {
      mean = static_cast<double>(total_hits) / g.episodes;
      se = std::sqrt(mean * (1 - mean) / g.episodes);
    }
  };
  rate(&Counts::successes, g.successes, g.success_rate, g.success_se);
  rate(&Counts::quick, g.quick_successes, g.quick_rate, g.quick_se);
  g.ratio_count = static_cast<int64_t>(ratios.size());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  g.ratio_median = ratios.empty() ? nan : median(ratios);
  std::vector<std::vector<double>> clusters;
  for (auto& [key, values] : by_cluster) clusters.push_back(std::move(values));
  g.clusters = static_cast<int>(clusters.size());
  std::tie(g.ratio_median_low, g.ratio_median_high) = bootstrap_median_interval(clusters, kBootstrapResamples, kBootstrapSeed);
  g.ratio_mean = nan;
  if (!ratios.empty()) {
    double sum = 0;
    for (double x : ratios) sum += x;
    g.ratio_mean = sum / ratios.size();
  }
  g.ms_per_step = total_steps > 0 ? total_ms / total_steps : 0;
  g.predictor_calls = g.episodes > 0 ? g.predictor_calls / static_cast<double>(g.episodes) : 0;
  g.models = static_cast<int>(models.size());
  double train_total = 0;
  for (const auto& [model, seconds] : models)
    if (seconds > 0) ++g.models_trained, train_total += seconds;
  g.train_seconds = g.models_trained ? train_total / g.models_trained : 0;
  return g;
}

}  // namespace

std::pair<double, double> bootstrap_median_interval(const std::vector<std::vector<double>>& clusters, int resamples, uint64_t seed) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  size_t values = 0;
  for (const auto& c : clusters) values += c.size();
  if (clusters.size() < 2 || values == 0 || resamples < 1) return {nan, nan};
  Rng rng(seed);
  std::vector<double> medians, pooled;
  medians.reserve(static_cast<size_t>(resamples));
  for (int b = 0; b < resamples; ++b) {
    pooled.clear();
    for (size_t i = 0; i < clusters.size(); ++i) {
      const auto& c = clusters[rng.below(clusters.size())];
      pooled.insert(pooled.end(), c.begin(), c.end());
    }
    if (!pooled.empty()) medians.push_back(median(pooled));
  }
  std::sort(medians.begin(), medians.end());
  auto at = [&](double q) { return medians[static_cast<size_t>(std::floor(q * static_cast<double>(medians.size() - 1) + 0.5))]; };
  return {at(0.025), at(0.975)};
}

namespace {

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string fmt_ratio(double v) { return std::isnan(v) ? "-" : fmt("%.2f", v); }

std::string noise_text(const SummaryGroup& g) {
  return fmt("%g", g.noise_motion) + "/" + fmt("%g", g.noise_perception) + "/" + fmt("%g", g.noise_range);
}

std::vector<std::vector<std::string>> table_cells(const BenchSummary& s) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head = {"agent"};
  if (s.noise_varies) head.push_back("noise m/p/r");
  for (const char* h : {"colours", "episodes", "success", "± s.e.", "success ≤2× oracle", "≤2× ± s.e.", "s.e. over",
                        "steps/oracle median", "median 95% interval", "steps/oracle mean",
                        "ms/step", "P1 calls/episode", "train s/model", "parameters"})
    head.push_back(h);
  rows.push_back(head);
  for (const SummaryGroup& g : s.groups) {
    std::vector<std::string> row = {g.agent};
    if (s.noise_varies) row.push_back(noise_text(g));
    row.push_back(g.length > 0 ? std::to_string(g.length) : "all");
    row.push_back(std::to_string(g.episodes));
    row.push_back(fmt("%.1f%%", 100 * g.success_rate));
    row.push_back(fmt("%.1f%%", 100 * g.success_se));
    row.push_back(fmt("%.1f%%", 100 * g.quick_rate));
    row.push_back(fmt("%.1f%%", 100 * g.quick_se));
    row.push_back(g.se_over_model_seeds ? std::to_string(g.model_seeds) + " model seeds" : "episodes");
    row.push_back(fmt_ratio(g.ratio_median));
    row.push_back(std::isnan(g.ratio_median_low) ? "-" : fmt_ratio(g.ratio_median_low) + "–" + fmt_ratio(g.ratio_median_high));
    row.push_back(fmt_ratio(g.ratio_mean));
    row.push_back(fmt("%.3f", g.ms_per_step));
    row.push_back(g.predictor_calls > 0 ? fmt("%.0f", g.predictor_calls) : "-");
    row.push_back(g.models == 0 ? "-" : g.models_trained == 0 ? "cached" : fmt("%.1f", g.train_seconds));
    row.push_back(g.parameters > 0 ? std::to_string(g.parameters) : "-");
    rows.push_back(row);
  }
  return rows;
}

// Display width: "±" is one column but two bytes.
size_t width_of(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

std::string pad(const std::string& s, size_t width) { return s + std::string(width - width_of(s), ' '); }

}  // namespace

BenchSummary summarize(const std::vector<EpisodeRow>& rows) {
  BenchSummary s;
  if (rows.empty()) return s;
  s.suite = rows.front().suite;
  s.config = rows.front().config;
  s.suite_episodes = rows.front().suite_episodes;
  s.episodes = static_cast<int64_t>(rows.size());
  std::map<GroupKey, std::vector<const EpisodeRow*>> groups;
  std::set<std::tuple<double, double, double>> noises;
  for (const EpisodeRow& r : rows) {
    groups[key_of(r)].push_back(&r);
    noises.insert({r.noise_motion, r.noise_perception, r.noise_range});
  }
  s.noise_varies = noises.size() > 1;
  // After each agent and noise setting's per-length groups, all its lengths pooled (when it has several).
  std::vector<const EpisodeRow*> pooled;
  int lengths = 0;
  auto flush = [&] {
    if (lengths >= 2) {
      s.groups.push_back(summarize_group(pooled));
      s.groups.back().length = 0;
    }
    pooled.clear(), lengths = 0;
  };
  auto agent_and_noise = [](const GroupKey& k) { return std::make_tuple(std::get<1>(k), std::get<2>(k), std::get<3>(k), std::get<4>(k)); };
  for (auto it = groups.begin(); it != groups.end(); ++it) {
    s.groups.push_back(summarize_group(it->second));
    pooled.insert(pooled.end(), it->second.begin(), it->second.end()), ++lengths;
    const auto next = std::next(it);
    if (next == groups.end() || agent_and_noise(next->first) != agent_and_noise(it->first)) flush();
  }
  return s;
}

std::string format_summary(const BenchSummary& s, bool markdown) {
  std::string out = "hjepa bench: suite " + s.suite + ", " +
                    (s.episodes == s.suite_episodes ? std::to_string(s.episodes)
                                                    : std::to_string(s.episodes) + " of " + std::to_string(s.suite_episodes)) +
                    " episodes (config " + s.config + ")" +
                    (s.episodes == s.suite_episodes ? "" : " - a part of the run (one shard, or shards missing)") + "\n";
  std::vector<std::string> legend = {
      "success ± s.e.: standard error over model seeds (model-based agents with several), else over episodes",
      "success ≤2× oracle: succeeded in at most 2 × oracle_steps steps (its s.e. as success's)",
      "steps/oracle: steps / oracle_steps, successful episodes only; ms/step: agent decision + env step, wall time",
      "colours all: every task length of the agent (and noise setting) pooled",
      "median 95% interval: percentile bootstrap of the median over the group's maps x model seeds (episodes sharing "
      "a map and a model resampled together; 2000 resamples, fixed seed; - with fewer than 2)",
      "P1 calls/episode: single-state evaluations of the level-1 predictor (planning rollouts and belief updates)",
      "train s/model: mean training time of the models this run trained (\"cached\": all loaded from the model cache)"};
  if (s.noise_varies) legend.push_back("noise m/p/r: sigma of the motion / perception / range noise");
  if (markdown) out += "\n";
  for (const std::string& line : legend) out += (markdown ? "* " : "  ") + line + "\n";
  if (markdown) out += "\n";
  const auto cells = table_cells(s);
  std::vector<size_t> widths(cells.front().size(), 0);
  for (const auto& row : cells)
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], width_of(row[c]));
  for (size_t r = 0; r < cells.size(); ++r) {
    std::string line;
    for (size_t c = 0; c < cells[r].size(); ++c) {
      if (markdown) line += "| " + cells[r][c] + " ";
      else line += (c ? "  " : "") + (c + 1 < cells[r].size() ? pad(cells[r][c], widths[c]) : cells[r][c]);
    }
    out += line + (markdown ? "|" : "") + "\n";
    if (markdown && r == 0) {
      for (const std::string& head : cells[0]) {
        const bool text = head == "agent" || head == "noise m/p/r" || head == "s.e. over";
        out += text ? "|---" : "|--:";
      }
      out += "|\n";
    }
  }
  return out;
}

std::string summary_to_json(const BenchSummary& s) {
  using Json = nlohmann::ordered_json;
  auto number = [](double v) { return std::isnan(v) ? Json(nullptr) : Json(v); };
  Json groups = Json::array();
  for (const SummaryGroup& g : s.groups)
    groups.push_back({{"agent", g.agent},
                      {"noise_motion", g.noise_motion},
                      {"noise_perception", g.noise_perception},
                      {"noise_range", g.noise_range},
                      {"length", g.length},
                      {"episodes", g.episodes},
                      {"successes", g.successes},
                      {"success_rate", g.success_rate},
                      {"success_se", g.success_se},
                      {"successes_within_2x_oracle", g.quick_successes},
                      {"success_within_2x_oracle_rate", g.quick_rate},
                      {"success_within_2x_oracle_se", g.quick_se},
                      {"se_over", g.se_over_model_seeds ? "model_seeds" : "episodes"},
                      {"model_seeds", g.model_seeds},
                      {"ratio_count", g.ratio_count},
                      {"steps_per_oracle_median", number(g.ratio_median)},
                      {"steps_per_oracle_median_low", number(g.ratio_median_low)},
                      {"steps_per_oracle_median_high", number(g.ratio_median_high)},
                      {"clusters", g.clusters},
                      {"steps_per_oracle_mean", number(g.ratio_mean)},
                      {"ms_per_step", g.ms_per_step},
                      {"predictor_calls_per_episode", g.predictor_calls},
                      {"models", g.models},
                      {"models_trained", g.models_trained},
                      {"train_seconds", g.train_seconds},
                      {"parameters", g.parameters}});
  Json doc = {{"suite", s.suite},
              {"config", s.config},
              {"episodes", s.episodes},
              {"suite_episodes", s.suite_episodes},
              {"groups", std::move(groups)}};
  return doc.dump();
}

}  // namespace hjepa
