// The output layer of an MLP fitted in closed form: with every hidden layer fixed, W and b of the last
// (linear) layer that minimise the mean squared error over a data set solve a ridge least-squares
// problem. Gradient steps on a cosine schedule stop short of that minimum; the solve reaches it.
#pragma once
#include "agent/nn/mlp.hpp"

namespace hjepa::nn {

// Sets net's last layer to the least-squares fit of y (O x N) from the last hidden layer's activations on
// x (I x N), with ridge * (mean diagonal of the normal matrix) added to its diagonal (0 = plain least
// squares; a small ridge keeps a rank-deficient problem solvable). Sums in double, in blocks of columns.
// Returns the mean squared error per output after the fit (the loss the solve minimised, on x and y).
// Throws std::invalid_argument when x and y disagree in columns or y in rows with the layer's outputs.
double fit_output_layer(MLP<float>& net, const Mat<float>& x, const Mat<float>& y, double ridge);

}  // namespace hjepa::nn
