// Bench panel contents (see bench_panel.hpp).
#include "app/gui/bench_panel.hpp"

#include <imgui.h>

#include <cmath>
#include <thread>

#include "app/agent_factory.hpp"
#include "app/bench/suite.hpp"

namespace hjepa {

namespace {

void summary_table(const BenchSummary& summary) {
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("bench_table", 5, flags)) return;
  for (const char* h : {"agent", "n", "success", "x oracle", "ms"}) ImGui::TableSetupColumn(h);
  ImGui::TableHeadersRow();
  for (const SummaryGroup& g : summary.groups) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(g.agent.c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%d", g.length);
    ImGui::TableNextColumn();
    ImGui::Text("%.0f%%", 100 * g.success_rate);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%lld episodes; standard error %.1f%% over %s", static_cast<long long>(g.episodes), 100 * g.success_se,
                        g.se_over_model_seeds ? "model seeds" : "episodes");
    ImGui::TableNextColumn();
    if (g.ratio_count > 0 && std::isfinite(g.ratio_median)) ImGui::Text("%.2f", g.ratio_median);
    else ImGui::TextUnformatted("-");
    ImGui::TableNextColumn();
    ImGui::Text("%.2f", g.ms_per_step);
  }
  ImGui::EndTable();
}

}  // namespace

void draw_bench_panel(BenchPanelState& state, const RunConfig& config) {
  const std::vector<std::string> suites = suite_names();
  if (suites.empty()) {
    ImGui::TextWrapped("No suites found in assets/suites.");
    return;
  }
  state.suite = std::min<int>(state.suite, static_cast<int>(suites.size()) - 1);
  const bool busy = state.job.busy();
  ImGui::BeginDisabled(busy);
  if (ImGui::BeginCombo("suite", suites[state.suite].c_str())) {
    for (int i = 0; i < static_cast<int>(suites.size()); ++i)
      if (ImGui::Selectable(suites[i].c_str(), i == state.suite)) state.suite = i;
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("assets/suites/<name>.json; 'smoke' takes seconds, 'standard' hours");
  static const char* kAgents[4] = {"random", "oracle", "flat", "hjepa"};
  for (int i = 0; i < 4; ++i) {
    if (i > 0) ImGui::SameLine();
    ImGui::Checkbox(kAgents[i], &state.agents[i]);
  }
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ImGui::SliderInt("threads", &state.threads, 1, cores);
  ImGui::EndDisabled();

  std::vector<std::string> agents;
  for (int i = 0; i < 4; ++i)
    if (state.agents[i]) agents.push_back(kAgents[i]);
  if (!busy) {
    ImGui::BeginDisabled(agents.empty());
    if (ImGui::Button("Run suite")) state.job.start(suites[state.suite], agents, state.threads, config);
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Runs in the background with the Agent panel's current parameters");
  } else if (ImGui::Button("Stop")) {
    state.job.request_stop();
  }

  const BenchJob::Snapshot snap = state.job.snapshot();
  if (snap.phase == BenchJob::Phase::Idle) return;
  ImGui::SameLine();
  ImGui::Text("%s, %.0f s", bench_phase_name(snap.phase), snap.seconds);
  if (busy && snap.total > 0) {
    char label[64];
    std::snprintf(label, sizeof label, "%lld / %lld", static_cast<long long>(snap.done), static_cast<long long>(snap.total));
    ImGui::ProgressBar(static_cast<float>(snap.done) / static_cast<float>(snap.total), ImVec2(-1, 0), label);
  }
  if (snap.phase == BenchJob::Phase::Failed) ImGui::TextWrapped("%s", snap.error.c_str());
  if (snap.phase == BenchJob::Phase::Done) {
    ImGui::TextWrapped("%s: %lld episodes. n = task colours; x oracle = median steps / oracle steps over successes; ms = per step",
                       snap.suite.c_str(), static_cast<long long>(snap.summary.episodes));
    summary_table(snap.summary);
    if (ImGui::Button("Copy table")) ImGui::SetClipboardText(snap.table.c_str());
  }
}

}  // namespace hjepa
