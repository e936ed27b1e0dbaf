// The random generator: reproducible streams, and Gaussian draws with the right moments and tails.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/rng.hpp"

using namespace hjepa;

TEST_CASE("same seed, same stream; derived seeds differ") {
  Rng a(5), b(5), c(6);
  for (int k = 0; k < 100; ++k) {
    const double x = a.normal();
    CHECK(x == b.normal());
    (void)c.normal();
  }
  CHECK(Rng(5).next() != Rng(6).next());
  CHECK(derive_seed(1, 0) != derive_seed(1, 1));
  CHECK(derive_seed(1, 0) != derive_seed(2, 0));
}

TEST_CASE("normal(): mean 0, variance 1, Gaussian tail masses") {
  Rng rng(12345);
  const int n = 2000000;
  double sum = 0, sum2 = 0, sum4 = 0;
  int beyond1 = 0, beyond3 = 0, beyond4 = 0;
  for (int k = 0; k < n; ++k) {
    const double x = rng.normal();
    sum += x, sum2 += x * x, sum4 += x * x * x * x;
    beyond1 += std::fabs(x) > 1, beyond3 += std::fabs(x) > 3, beyond4 += std::fabs(x) > 4;
  }
  CHECK(std::fabs(sum / n) < 0.004);
  CHECK(sum2 / n == doctest::Approx(1.0).epsilon(0.005));
  CHECK(sum4 / n == doctest::Approx(3.0).epsilon(0.02));  // kurtosis of a Gaussian
  CHECK(static_cast<double>(beyond1) / n == doctest::Approx(0.3173).epsilon(0.01));
  CHECK(static_cast<double>(beyond3) / n == doctest::Approx(0.0027).epsilon(0.06));
  CHECK(static_cast<double>(beyond4) / n == doctest::Approx(6.33e-5).epsilon(0.25));
}

TEST_CASE("uniform draws stay in range") {
  Rng rng(3);
  for (int k = 0; k < 100000; ++k) {
    const double u = rng.uniform();
    REQUIRE(u >= 0);
    REQUIRE(u < 1);
    REQUIRE(rng.below(7) < 7);
  }
}
