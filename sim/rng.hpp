// A small, fast, portable PRNG (xoshiro256** seeded by splitmix64) with uniform and Gaussian
// draws (Gaussian by the ziggurat method). Its whole state is a plain value, so copying an EnvState copies the random stream too.
#pragma once
#include <cmath>
#include <cstdint>

namespace hjepa {

inline uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Derives an independent seed from (base, index), e.g. one per episode.
inline uint64_t derive_seed(uint64_t base, uint64_t index) {
  uint64_t x = base ^ (0xd1b54a32d192ed03ull * (index + 1));
  return splitmix64(x);
}

struct Rng {
  uint64_t s[4] = {1, 2, 3, 4};

  Rng() = default;
  explicit Rng(uint64_t seed) { reseed(seed); }
  void reseed(uint64_t seed) {
    for (auto& w : s) w = splitmix64(seed);
  }
  uint64_t next() {
    const uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0], s[3] ^= s[1], s[1] ^= s[2], s[0] ^= s[3], s[2] ^= t, s[3] = rotl(s[3], 45);
    return r;
  }
  // Uniform in [0, 1).
  double uniform() { return (next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n).
  uint64_t below(uint64_t n) { return static_cast<uint64_t>(uniform() * static_cast<double>(n)); }
  // Standard normal by the ziggurat method (Marsaglia & Tsang 2000, 128 layers): one draw and
  // one comparison ~99% of the time, the exact tail and wedges otherwise (rng.cpp).
  double normal() {
    const ZigguratTables& z = ziggurat_tables();
    const uint64_t bits = next();
    const int i = static_cast<int>(bits & 127);
    const int64_t j = static_cast<int64_t>(static_cast<int32_t>(bits >> 32));
    if (static_cast<uint64_t>(j < 0 ? -j : j) < z.k[i]) return static_cast<double>(j) * z.w[i];
    return normal_slow(j, i);
  }

  struct ZigguratTables {
    uint64_t k[128];
    double w[128], f[128];
  };
  static const ZigguratTables& ziggurat_tables();

 private:
  double normal_slow(int64_t j, int i);
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
};

}  // namespace hjepa
