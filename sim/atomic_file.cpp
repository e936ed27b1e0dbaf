// Temp file + fsync + rename, and whole-file reads (see atomic_file.hpp).
#include "sim/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

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

std::string read_whole_file(const std::string& path, std::string& bytes) {
  using FileHandle = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;
  FileHandle file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return std::string("cannot open file (") + std::strerror(errno) + ")";
  bytes.clear();
  char buf[1 << 16];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, file.get())) > 0;) bytes.append(buf, n);
  if (std::ferror(file.get())) return std::string("cannot read file (") + std::strerror(errno) + ")";
  return "";
}

}  // namespace hjepa
