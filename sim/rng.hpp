// A small, fast, portable PRNG (xoshiro256** seeded by splitmix64) with uniform and Gaussian
// draws. Its whole state is a plain value, so copying an EnvState copies the random stream too.
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
  double spare = 0;        // second Box-Muller sample, valid when has_spare
  bool has_spare = false;

  Rng() = default;
  explicit Rng(uint64_t seed) { reseed(seed); }
  void reseed(uint64_t seed) {
    for (auto& w : s) w = splitmix64(seed);
    has_spare = false;
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
  // Standard normal (Box-Muller, both samples used).
  double normal() {
    if (has_spare) {
      has_spare = false;
      return spare;
    }
    double u1 = uniform();
    while (u1 <= 0) u1 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1)), a = 6.283185307179586 * uniform();
    spare = r * std::sin(a);
    has_spare = true;
    return r * std::cos(a);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
};

}  // namespace hjepa
