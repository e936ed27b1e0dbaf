// hjepa: one executable for the desktop app (gui, the default) and the headless commands
// (run, bench, map, train, perf). Dispatches on the first argument.
#include <cstdio>
#include <cstring>
#include <string>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "app/cli_common.hpp"

namespace {

const char* kUsage =
    "hjepa — a small laboratory for hierarchical planning with learned world models (H-JEPA)\n"
    "\n"
    "Usage: hjepa [COMMAND] [OPTIONS]   (no command: open the desktop app)\n"
    "\n"
    "Commands:\n"
    "  gui    open the desktop app (SFML window + Dear ImGui panels)\n"
    "  run    run one episode headless and print a summary or JSON\n"
    "  bench  run a benchmark suite (maps x tasks x agents) on threads or shards; 'bench merge' joins shard results\n"
    "  map    generate a map and write it as a hjepa-map/1 JSON file\n"
    "  train  train both levels of the H-JEPA and the Mode-1 policy on a map and write a model file\n"
    "  perf   measure speed: 'perf env' (env steps/s), 'perf oracle' (oracle ms/plan), 'perf plan' (planner ms/step), 'perf agent' (H-JEPA agent ms/step)\n"
    "\n"
    "Run 'hjepa COMMAND --help' for the options of a command.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace hjepa;
#if defined(__GLIBC__)
  // Training frees and reallocates the same few hundred kilobytes of matrices every step. With
  // glibc's default 128 KiB trim threshold each free handed the top of the heap back to the system
  // and the next step faulted it in again: default training on map 101 took 15.2 s, a third of it in
  // the kernel. Keeping up to 256 MiB: 7.8 s, the same bytes out. Setting a threshold turns off
  // glibc's adaptive mmap threshold, so that one is set too (to its largest value): else every
  // block over 128 KiB (a 128 x 256 activation) is a fresh mmap, which cost the probe's thread 24 s
  // of kernel time.
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
  if (argc < 2) return cmd_gui(argc, argv);
  const std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  // Each command parses argv[1..] with argv[1] as its program name.
  if (cmd == "run") return cmd_run(argc - 1, argv + 1);
  if (cmd == "map") return cmd_map(argc - 1, argv + 1);
  if (cmd == "perf") return cmd_perf(argc - 1, argv + 1);
  if (cmd == "gui") return cmd_gui(argc - 1, argv + 1);
  if (cmd == "train") return cmd_train(argc - 1, argv + 1);
  if (cmd == "bench") return cmd_bench(argc - 1, argv + 1);
  std::fprintf(stderr, "hjepa: unknown command \"%s\"; expected one of gui, run, bench, map, train, perf (see hjepa --help)\n",
               cmd.c_str());
  return 2;
}
