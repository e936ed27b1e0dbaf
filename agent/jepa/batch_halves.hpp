// One training step's batch on both cores: the batch's columns in two halves, the first on the
// network itself and the second on a replica of it (the same shape), whose gradients are then added
// to the network's in a fixed order, so the result does not depend on scheduling. P1's unrolled
// prediction, E2's temporal distance and π's imitation loss take their batches this way.
#pragma once
#include <array>
#include <type_traits>

#include "agent/jepa/side_thread.hpp"
#include "agent/nn/mlp.hpp"
#include "agent/nn/optim.hpp"

namespace hjepa {

// part(net, first, n) takes columns [first, first + n) of a batch of B on `net` and returns what it
// measured; it runs on [0, B/2) with `net` here and on [B/2, B) with `replica` on `side` (after the
// first when side is null). The replica's values are set to net's before and, with backward, its
// gradients are added to net's and zeroed after. Each half's sums round on their own: the same as
// one call on the whole batch in exact arithmetic when each part normalises by the whole batch.
template <typename T, typename Part>
auto on_batch_halves(nn::MLP<T>& net, nn::MLP<T>& replica, Eigen::Index B, bool backward, SideThread* side, Part&& part) {
  const auto params = net.params(), replica_params = replica.params();
  nn::set_values(replica_params, params);
  std::array<std::invoke_result_t<Part&, nn::MLP<T>&, Eigen::Index, Eigen::Index>, 2> half;
  const auto first = [&] { half[0] = part(net, Eigen::Index{0}, B / 2); };
  const auto second = [&] { half[1] = part(replica, B / 2, B - B / 2); };
  if (side)
    side->run(first, second);
  else
    first(), second();
  if (backward) nn::merge_grads(params, replica_params);
  return half;
}

}  // namespace hjepa
