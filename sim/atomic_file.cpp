// Temp file + fsync + rename (see atomic_file.hpp).
#include "sim/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hjepa {

std::string write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  auto failure = [&](const char* what, int err, bool temp_created) {
    if (temp_created) std::remove(temp.c_str());
    return std::string(what) + " (" + std::strerror(err) + ")";
  };
  std::FILE* file = std::fopen(temp.c_str(), "wb");
  if (!file) return failure("cannot create file", errno, false);
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size() && std::fflush(file) == 0 &&
                       ::fsync(::fileno(file)) == 0;
  int err = errno;
  const bool closed = std::fclose(file) == 0;
  if (written && !closed) err = errno;
  if (!written || !closed) return failure("cannot write file", err, true);
  if (std::rename(temp.c_str(), path.c_str()) != 0) return failure("cannot replace file", errno, true);
  return "";
}

}  // namespace hjepa
