// The Agent panel: which agent drives (every row of app/agent_factory's table), and every parameter
// of the chosen one, live. The learned agents' parameters are laid out by agent_params.hpp (labels
// and help from the parameter table, agent/config.hpp) in three tabs: planner, cost, high level
// (H-JEPA and its variants only). Edits reach the running agent on its next step.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <imgui.h>
#include <string>

#include "app/gui/agent_params.hpp"
#include "app/gui/panel_widgets.hpp"
#include "app/gui/panels.hpp"

namespace hjepa {
namespace {

// One table entry as a slider; returns true when the value changed.
bool edit(const AgentParam& p, const std::string& planner_type) {
  const ParamSpec& spec = declared(p.key);
  const bool unused = p.planner && planner_type != p.planner;
  ImGui::BeginDisabled(unused);
  // Dragging covers the panel's range (already clipped to the table's); Ctrl+click types any value
  // in the table's range.
  ImGuiSliderFlags flags = p.logarithmic ? ImGuiSliderFlags_Logarithmic : 0;
  bool changed;
  if (p.integer) {
    const int before = *p.integer;
    changed = ImGui::SliderInt(spec.label.c_str(), p.integer, static_cast<int>(p.lo), static_cast<int>(p.hi), p.format, flags);
    *p.integer = std::clamp(*p.integer, static_cast<int>(spec.lo), static_cast<int>(spec.hi));
    changed = changed && *p.integer != before;
  } else {
    const double before = *p.real;
    changed = ImGui::SliderScalar(spec.label.c_str(), ImGuiDataType_Double, p.real, &p.lo, &p.hi, p.format, flags);
    *p.real = clamp_typed(*p.real, before, spec.lo, spec.hi);
    changed = changed && *p.real != before;
  }
  ImGui::EndDisabled();
  const std::string unused_note = unused ? "\nnot used by the " + planner_type : "";
  param_tooltip(spec, unused_note.c_str());
  return changed;
}

// A text parameter with two choices (the table's) as radio buttons; `choice` is 0 or 1. Each button's
// tooltip is its choice's help from the table.
bool two_choices(const char* name, int& choice) {
  const ParamSpec& spec = declared(name);
  ImGui::Text("%s", spec.label.c_str());
  param_tooltip(spec);
  bool changed = false;
  for (int i = 0; i < 2; ++i) {
    ImGui::SameLine();
    changed |= ImGui::RadioButton(spec.choices[i].c_str(), &choice, i);
    tooltip(spec.choice_text(static_cast<size_t>(i)).c_str());
  }
  return changed;
}

bool planner_choice(Session& s) {
  int type = s.planner_type == "cem" ? 1 : 0;
  const bool changed = two_choices("agent.planner.type", type);
  if (changed) s.planner_type = type == 1 ? "cem" : "gradient";
  return changed;
}

// A parameter with three choices as a combo (three radio buttons do not fit the panel's width): `current`
// indexes the declared choices; each entry's tooltip is its choice's help from the table.
bool three_choices(const char* name, int& current) {
  const ParamSpec& spec = declared(name);
  bool changed = false;
  if (ImGui::BeginCombo(spec.label.c_str(), spec.choices[current].c_str())) {
    for (int i = 0; i < 3; ++i) {
      if (ImGui::Selectable(spec.choices[i].c_str(), i == current) && i != current) {
        current = i;
        changed = true;
      }
      tooltip(spec.choice_text(static_cast<size_t>(i)).c_str());
    }
    ImGui::EndCombo();
  }
  param_tooltip(spec);
  return changed;
}

// Who chooses level 1's headings: the optimiser (Mode 2), the Mode-1 policy, or the policy seeding the
// optimiser.
bool low_mode_choice(Session& s) {
  int current = static_cast<int>(s.planner_params.mode);
  const bool changed = three_choices("agent.low.mode", current);
  if (changed) s.planner_params.mode = static_cast<LowMode>(current);
  return changed;
}

// The belief's gain: fixed (agent.belief.gain), the model's fitted gain, or the Kalman belief's gain.
bool belief_mode_choice(Session& s) {
  int current = static_cast<int>(s.belief_params.mode);
  const bool changed = three_choices("agent.belief.mode", current);
  if (changed) s.belief_params.mode = static_cast<BeliefMode>(current);
  return changed;
}

// The plan's energy over the futures of P1's z (shown when the model has a z).
bool z_objective_choice(Session& s) {
  if (!s.model || s.model->level1.z_values() <= 1) return false;
  int worst = s.planner_params.z_worst ? 1 : 0;
  const bool changed = two_choices("agent.planner.z_objective", worst);
  if (changed) s.planner_params.z_worst = worst == 1;
  return changed;
}

void learned_agent_controls(Session& s) {
  const std::string problem = s.model_problem();
  if (problem.empty())
    ImGui::TextDisabled("model: %s", s.model_source.c_str());
  else
    ImGui::TextColored(ImVec4(1.f, 0.6f, 0.45f, 1), "%s", problem.c_str());
  bool apply = false;
  auto tab = [&](const char* name, ParamTab which, const char* help) {
    const bool open = ImGui::BeginTabItem(name);
    tooltip(help);
    if (!open) return;
    ImGui::PushItemWidth(-110);
    if (which == ParamTab::Planner) apply |= low_mode_choice(s), apply |= planner_choice(s), apply |= z_objective_choice(s);
    if (which == ParamTab::Cost) apply |= belief_mode_choice(s);
    for_each_agent_param(s, [&](const AgentParam& p) {
      if (p.tab == which) apply |= edit(p, s.planner_type);
    });
    ImGui::PopItemWidth();
    ImGui::EndTabItem();
  };
  if (ImGui::BeginTabBar("##agenttabs")) {
    if (const AgentInfo* a = agent_info(s.agent_name); a && a->hierarchical)
      tab("High level", ParamTab::HighLevel, "Level 2 (which places to pass through) and the stuck, offer and overdue watches");
    tab("Planner", ParamTab::Planner, "Level 1: the heading optimiser");
    tab("Cost", ParamTab::Cost, "Level 1: the energy the planner descends, and the belief filter");
    ImGui::EndTabBar();
  }
  if (apply) s.apply_planner_params();
}

void oracle_controls(Session& s) {
  const AgentInfo* info = agent_info(s.agent_name);
  ImGui::BeginDisabled(!info || !info->oracle);  // the oracle's sliders: oracle, oracle-sighted
  ImGui::PushItemWidth(-110);
  if (declared_slider("agent.oracle.replan_distance", &s.oracle_params.replan_distance, 0.1, 3.0, "%.2f units"))
    s.apply_agent_params();
  if (declared_slider("agent.oracle.cell", &s.oracle_params.oracle.cell, 0.05, 1.0, "%.2f units", ImGuiSliderFlags_Logarithmic))
    s.apply_agent_params();
  ImGui::PopItemWidth();
  if (const AgentTrace t = s.agent_trace(); t.oracle_path) ImGui::Text("replans this episode: %d", t.oracle_replans);
  ImGui::EndDisabled();
}

// One radio button per row of the agent table, flowed on a grid of kColumn-pixel columns (a long
// label takes several); returns true when one was pressed.
bool agent_choice(Session& s) {
  constexpr float kColumn = 45;
  const float right = ImGui::GetWindowContentRegionMax().x;
  const ImGuiStyle& style = ImGui::GetStyle();
  bool changed = false;
  float column = 0;  // where the next button starts, from the window's left edge (0: a new line)
  for (const AgentInfo& a : agent_infos()) {
    const float w = ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(a.label).x;
    if (column > 0 && column + w <= right)
      ImGui::SameLine(column);
    else
      column = 0;
    if (ImGui::RadioButton(a.label, s.agent_name == a.name)) {  // pressing the chosen one rebuilds it
      s.agent_name = a.name;
      changed = true;
    }
    const std::string help = std::string(a.about) + (a.needs_model ? " (needs a trained model)" : "");
    tooltip(help.c_str());
    const float end = (column > 0 ? column : style.WindowPadding.x) + w + style.ItemSpacing.x;
    column = std::ceil(end / kColumn) * kColumn;
  }
  return changed;
}

}  // namespace

void agent_panel(AppState& app) {
  Session& s = app.session;
  if (agent_choice(s)) {
    app.waiting_agent.clear();  // a new choice; ensure_model loads its model or trains one (auto_train)
    app.ensure_model();
    s.apply_agent_params();
  }
  if (!app.waiting_agent.empty()) {
    ImGui::TextColored(ImVec4(0.55f, 0.75f, 1.f, 1), "%s: its model is training; the oracle drives meanwhile",
                       app.waiting_agent.c_str());
  } else if (agent_needs_model(s.agent_name) && !s.model_problem().empty() && !app.training.busy()) {
    char label[64];
    std::snprintf(label, sizeof label, "Train now (about %.0f s)", app.expected_training_seconds());
    if (ImGui::Button(label)) {
      app.train_for_agent();
      app.reset_episode();
    }
    tooltip("Train both levels on this map in the background (Training tab has the settings); the oracle drives "
            "until the model is ready, then this agent takes over. The model goes into the cache hjepa run and bench use.");
  }
  if (agent_needs_model(s.agent_name))
    learned_agent_controls(s);
  else
    oracle_controls(s);
}

}  // namespace hjepa
