// Parameter streams: writing, and reading with a named refusal on every mismatch or truncation.
// Each parameter is rows x cols of raw T, column-major, after its name and shape.
#include "agent/nn/param_io.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace hjepa::nn {

static_assert(std::endian::native == std::endian::little, "parameter streams are little-endian");

namespace {

constexpr char kMagic[4] = {'H', 'J', 'N', 'N'};
constexpr uint32_t kVersion = 1;
constexpr uint32_t kMaxNameLength = 4096;

template <typename T>
const char* scalar_name() {
  return sizeof(T) == 4 ? "float" : "double";
}

template <typename V>
void write_pod(std::ostream& os, const V& v) {
  os.write(reinterpret_cast<const char*>(&v), sizeof(V));
}

[[noreturn]] void refuse(const std::string& message) {
  throw std::runtime_error("parameter load: " + message);
}

template <typename V>
V read_pod(std::istream& is, const std::string& what) {
  V v{};
  if (!is.read(reinterpret_cast<char*>(&v), sizeof(V))) refuse("stream ends inside " + what);
  return v;
}

std::string shape(uint64_t rows, uint64_t cols) {
  return std::to_string(rows) + " x " + std::to_string(cols);
}

}  // namespace

template <typename T>
void save_parameters(std::ostream& os, const ConstParamList<T>& params) {
  os.write(kMagic, sizeof(kMagic));
  write_pod(os, kVersion);
  write_pod(os, static_cast<uint32_t>(sizeof(T)));
  write_pod(os, static_cast<uint64_t>(params.size()));
  for (const Parameter<T>* p : params) {
    write_pod(os, static_cast<uint32_t>(p->name.size()));
    os.write(p->name.data(), static_cast<std::streamsize>(p->name.size()));
    write_pod(os, static_cast<uint64_t>(p->value.rows()));
    write_pod(os, static_cast<uint64_t>(p->value.cols()));
    os.write(reinterpret_cast<const char*>(p->value.data()),
             static_cast<std::streamsize>(sizeof(T) * p->value.size()));
  }
  if (!os) throw std::runtime_error("parameter save: the stream refused the write");
}

template <typename T>
void load_parameters(std::istream& is, const ParamList<T>& params) {
  char magic[4] = {};
  if (!is.read(magic, sizeof(magic))) refuse("stream ends inside the header");
  if (std::memcmp(magic, kMagic, sizeof(kMagic)) != 0) refuse("not a parameter stream (no HJNN header)");
  const auto version = read_pod<uint32_t>(is, "the header");
  if (version != kVersion)
    refuse("version: expected " + std::to_string(kVersion) + ", found " + std::to_string(version));
  const auto scalar_bytes = read_pod<uint32_t>(is, "the header");
  if (scalar_bytes != sizeof(T))
    refuse(std::string("scalar size: expected ") + std::to_string(sizeof(T)) + " bytes (" +
           scalar_name<T>() + "), found " + std::to_string(scalar_bytes));
  const auto count = read_pod<uint64_t>(is, "the header");
  if (count != params.size())
    refuse("parameter count: expected " + std::to_string(params.size()) + ", found " +
           std::to_string(count));

  std::vector<Mat<T>> staged(params.size());
  for (size_t k = 0; k < params.size(); ++k) {
    const Parameter<T>& p = *params[k];
    const std::string where = "parameter " + std::to_string(k) + " ('" + p.name + "')";
    const auto name_length = read_pod<uint32_t>(is, "the name of " + where);
    if (name_length > kMaxNameLength)
      refuse(where + ": name length " + std::to_string(name_length) + " exceeds " +
             std::to_string(kMaxNameLength));
    std::string name(name_length, '\0');
    if (!is.read(name.data(), name_length)) refuse("stream ends inside the name of " + where);
    if (name != p.name) refuse(where + ": expected name '" + p.name + "', found '" + name + "'");
    const auto rows = read_pod<uint64_t>(is, "the shape of " + where);
    const auto cols = read_pod<uint64_t>(is, "the shape of " + where);
    const auto want_rows = static_cast<uint64_t>(p.value.rows());
    const auto want_cols = static_cast<uint64_t>(p.value.cols());
    if (rows != want_rows || cols != want_cols)
      refuse(where + ": expected shape " + shape(want_rows, want_cols) + ", found " +
             shape(rows, cols));
    staged[k].resize(p.value.rows(), p.value.cols());
    if (!is.read(reinterpret_cast<char*>(staged[k].data()),
                 static_cast<std::streamsize>(sizeof(T) * staged[k].size())))
      refuse("stream ends inside the values of " + where);
  }
  for (size_t k = 0; k < params.size(); ++k) params[k]->value = std::move(staged[k]);
}

template void save_parameters<float>(std::ostream&, const ConstParamList<float>&);
template void save_parameters<double>(std::ostream&, const ConstParamList<double>&);
template void load_parameters<float>(std::istream&, const ParamList<float>&);
template void load_parameters<double>(std::istream&, const ParamList<double>&);

}  // namespace hjepa::nn
