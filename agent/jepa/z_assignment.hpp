// P1's latent variable z (issue 18), learned by hard EM over exploration sequences: each sequence
// (one episode of the world, with its own gates) takes one z for all its windows, the z under which
// P1 predicts it best; P1 then trains on each window with its sequence's z. A discrete z per
// sequence carries at most log2 K bits per episode, so it cannot carry the future itself (the
// information limit), and a usage floor (every z keeps at least 1 / (2K) of the sequences: the
// usage regulariser) keeps the values from collapsing into one.
// D = latent, K = z values, S = sequences, k = unroll.
#pragma once
#include <vector>

#include "agent/jepa/exploration.hpp"
#include "agent/jepa/predictor.hpp"

namespace hjepa {

// cost(q, z): sequence q's mean unrolled prediction loss under z over its non-overlapping windows
// of k steps (t0 = 0, k, 2k, ...), from the frozen encodings s_all (D x frames). S x K.
Eigen::MatrixXd z_sequence_costs(const nn::MLP<float>& predictor, const FourierBasis<float>& fourier, int z_values,
                                 const ExplorationData& data, const MatF& s_all, int k);

// Each sequence's z: the cheapest, then, for every z below the floor (ceil(floor_share x S)), the
// sequences that lose least by moving to it (taken only from z values above the floor), in order
// of that loss (ties by sequence index). Deterministic.
std::vector<int> assign_z(const Eigen::MatrixXd& cost, double floor_share);

// Each z's share of the sequences (K values summing to 1).
std::vector<double> z_usage(const std::vector<int>& z, int z_values);

}  // namespace hjepa
