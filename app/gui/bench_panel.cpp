// Bench panel contents (see bench_panel.hpp).
#include "app/gui/bench_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "app/agent_factory.hpp"
#include "app/bench/suite.hpp"

namespace hjepa {

std::vector<std::string> default_bench_agents() {
  std::vector<std::string> out;
  for (const AgentInfo& a : agent_infos())
    if (!a.ablation) out.push_back(a.name);
  return out;
}

namespace {

// A checkbox per agent of the table (its name, as the CSV writes it), flowed into rows.
void agent_checkboxes(std::vector<std::string>& ticked) {
  const float right = ImGui::GetWindowContentRegionMax().x;
  const ImGuiStyle& style = ImGui::GetStyle();
  float end = 0;  // right edge of the last box on this line, from the window's left edge (0: none)
  for (const AgentInfo& a : agent_infos()) {
    const float w = ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(a.name).x;
    if (end > 0 && end + style.ItemSpacing.x + w <= right) ImGui::SameLine();
    const auto it = std::find(ticked.begin(), ticked.end(), a.name);
    bool on = it != ticked.end();
    if (ImGui::Checkbox(a.name, &on)) {
      if (on)
        ticked.push_back(a.name);
      else
        ticked.erase(it);
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", a.about);
    end = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x;
  }
}

void summary_table(const BenchSummary& summary) {
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("bench_table", 5, flags)) return;
  for (const char* h : {"agent", "colours", "success", "x oracle", "ms"}) ImGui::TableSetupColumn(h);
  ImGui::TableHeadersRow();
  for (const SummaryGroup& g : summary.groups) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(g.agent.c_str());
    ImGui::TableNextColumn();
    if (g.length > 0) ImGui::Text("%d", g.length);
    else ImGui::TextUnformatted("all");
    ImGui::TableNextColumn();
    ImGui::Text("%.0f%%", 100 * g.success_rate);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%lld episodes; standard error %.1f%% over %s", static_cast<long long>(g.episodes), 100 * g.success_se,
                        g.se_over_model_seeds ? "model seeds" : "episodes");
    ImGui::TableNextColumn();
    if (g.ratio_count > 0 && std::isfinite(g.ratio_median)) ImGui::Text("%.2f", g.ratio_median);
    else ImGui::TextUnformatted("-");
    if (std::isfinite(g.ratio_median_low) && ImGui::IsItemHovered())
      ImGui::SetTooltip("median steps / oracle steps; 95%% interval %.2f-%.2f (bootstrap over %d maps x model seeds)", g.ratio_median_low,
                        g.ratio_median_high, g.clusters);
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
  agent_checkboxes(state.agents);
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ImGui::SliderInt("threads", &state.threads, 1, cores);
  ImGui::EndDisabled();

  std::vector<std::string> agents;  // table order
  for (const std::string& name : agent_names())
    if (std::find(state.agents.begin(), state.agents.end(), name) != state.agents.end()) agents.push_back(name);
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
