// Running commands from the tests that drive the real hjepa executable (cli_test, video_test): a
// scratch directory of the test's own (with a model cache of its own), the shell with stdout and stderr
// captured, and a substring check.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace hjepa::test {

struct Result {
  int status = -1;
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A directory for this test process, named `name`_<pid> under the temp directory; models trained by
// the commands under test go to a cache inside it, never the user's.
inline std::filesystem::path scratch_dir(const std::string& name) {
  std::filesystem::path d = std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  ::setenv("HJEPA_CACHE_DIR", (d / "model_cache").c_str(), 1);
  return d;
}

// Runs `command` through the shell with stdout and stderr captured in files of `dir`.
inline Result shell(const std::string& command, const std::filesystem::path& dir) {
  const std::filesystem::path out = dir / "stdout", err = dir / "stderr";
  const int raw = std::system((command + " >" + out.string() + " 2>" + err.string()).c_str());
  Result r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

inline bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace hjepa::test
