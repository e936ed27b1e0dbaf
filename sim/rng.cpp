// The ziggurat tables and the slow path (tail and wedges) of Rng::normal.
#include "sim/rng.hpp"

namespace hjepa {

const Rng::ZigguratTables& Rng::ziggurat_tables() {
  static const ZigguratTables tables = [] {
    ZigguratTables z{};
    const double m = 2147483648.0;  // 2^31: the draw j is a signed 32-bit integer
    const double v = 9.91256303526217e-3;  // area of each layer
    double d = 3.442619855899, t = d;      // d: start of the tail
    const double q = v / std::exp(-0.5 * d * d);
    z.k[0] = static_cast<uint64_t>((d / q) * m);
    z.k[1] = 0;
    z.w[0] = q / m;
    z.w[127] = d / m;
    z.f[0] = 1.0;
    z.f[127] = std::exp(-0.5 * d * d);
    for (int i = 126; i >= 1; --i) {
      d = std::sqrt(-2.0 * std::log(v / d + std::exp(-0.5 * d * d)));
      z.k[i + 1] = static_cast<uint64_t>((d / t) * m);
      t = d;
      z.f[i] = std::exp(-0.5 * d * d);
      z.w[i] = d / m;
    }
    return z;
  }();
  return tables;
}

double Rng::normal_slow(int64_t j, int i) {
  const ZigguratTables& z = ziggurat_tables();
  const double r = 3.442619855899;
  for (;;) {
    const double x = static_cast<double>(j) * z.w[i];
    if (i == 0) {  // the tail beyond r (Marsaglia's exponential method)
      double tx, ty;
      do {
        double u1 = uniform(), u2 = uniform();
        while (u1 <= 0) u1 = uniform();
        while (u2 <= 0) u2 = uniform();
        tx = -std::log(u1) / r;
        ty = -std::log(u2);
      } while (ty + ty < tx * tx);
      return j > 0 ? r + tx : -r - tx;
    }
    if (z.f[i] + uniform() * (z.f[i - 1] - z.f[i]) < std::exp(-0.5 * x * x)) return x;  // in a wedge
    const uint64_t bits = next();
    i = static_cast<int>(bits & 127);
    j = static_cast<int64_t>(static_cast<int32_t>(bits >> 32));
    if (static_cast<uint64_t>(j < 0 ? -j : j) < z.k[i]) return static_cast<double>(j) * z.w[i];
  }
}

}  // namespace hjepa
