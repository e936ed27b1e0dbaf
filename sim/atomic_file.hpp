// Whole files: writing one so that readers see either the old file or the complete new one (write a
// temporary file beside the target, flush it to disk, rename it over the target), and reading one.
#pragma once
#include <string>

namespace hjepa {

// Returns "" on success, else "<what failed> (<system error>)"; the temporary file is removed on
// failure and an existing file at `path` is left untouched.
std::string write_file_atomically(const std::string& path, const std::string& bytes);

// Reads the whole file at `path` into `bytes`. Returns "" on success, else "cannot open file (<system
// error>)" or "cannot read file (<system error>)".
std::string read_whole_file(const std::string& path, std::string& bytes);

}  // namespace hjepa
