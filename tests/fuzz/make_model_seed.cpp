// Writes a small but complete model file (tiny architecture, both levels, a few edges): the model
// reader's seed corpus for fuzz_model_file. Usage: make_model_seed OUT.hjepa
#include <cstdio>

#include "agent/jepa/model_file.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_model_seed OUT.hjepa\n");
    return 2;
  }
  hjepa::ModelFile model;
  model.level1 = hjepa::Level1(hjepa::Level1Arch{18, 4, 6, 4, 4}, 7);
  hjepa::Level2Arch a2;
  a2.input = 4, a2.latent = 3, a2.hidden = 5, a2.horizon = 6, a2.places = 4, a2.euclid_places = 4, a2.euclid_edges = 2, a2.experience_edges = 3;
  model.level2 = hjepa::Level2(a2, 9);
  for (hjepa::Places* p : {&model.level2.places, &model.level2.euclid}) {
    p->centres.value.setRandom();
    p->subgoals.value.setRandom();
    p->colours.value.setConstant(0.125f);
  }
  model.level2.experience_edges.value << 0, 1, 3, 1, 2, 0, 3.5f, 8, 2.25f;
  model.level2.euclid_edges.value << 0, 1, 1, 2, 4, 6;
  model.level2.rebuild_graphs();
  model.map_fingerprint = 0x0123456789abcdefull;
  model.created_by = "make_model_seed";
  hjepa::save_model(model, argv[1]);
  return 0;
}
