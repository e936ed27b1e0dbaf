// Checks a screenshot of the desktop app: 1600x900 (with "small": at most 1280x720, the app on a
// 1280x720 screen), at least 5 of the palette's region fill colours over a visible area each, and
// the agent's white disc somewhere in the world view; with "hjepa", also the H-JEPA agent's
// subgoal mark in the view.
// Usage: check_screenshot FILE.png [hjepa|small]; exit status 0 when every check passes.
#include <SFML/Graphics/Image.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/gui/palette.hpp"

namespace {

unsigned kWidth = 1600, kHeight = 900;  // the image's size, once checked
unsigned kViewWidth = 1000;  // the world view is left of the panels (two 290 px columns)
constexpr int kTolerance = 6;          // per channel
constexpr int kMinRegionPixels = 2000;
constexpr int kMinColors = 5;
constexpr int kAgentBlock = 7;         // side of a solid white square inside the agent's disc
constexpr int kMinSubgoalPixels = 30;  // the subgoal mark's ring and ticks are a few hundred

bool near(sf::Color c, hjepa::palette::Rgb want) {
  return std::abs(c.r - want.r) <= kTolerance && std::abs(c.g - want.g) <= kTolerance && std::abs(c.b - want.b) <= kTolerance;
}

bool white(sf::Color c) { return c.r >= 245 && c.g >= 245 && c.b >= 245; }

bool has_white_block(const sf::Image& image) {
  for (unsigned y = 0; y + kAgentBlock <= kHeight; ++y)
    for (unsigned x = 0; x + kAgentBlock <= kViewWidth; ++x) {
      bool solid = true;
      for (int dy = 0; dy < kAgentBlock && solid; ++dy)
        for (int dx = 0; dx < kAgentBlock && solid; ++dx) solid = white(image.getPixel(x + dx, y + dy));
      if (solid) return true;
    }
  return false;
}

}  // namespace

int subgoal_pixels(const sf::Image& image) {
  int n = 0;
  for (unsigned y = 0; y < kHeight; ++y)
    for (unsigned x = 0; x < kViewWidth; ++x) n += near(image.getPixel(x, y), hjepa::palette::kSubgoal);
  return n;
}

int main(int argc, char** argv) {
  const bool hjepa = argc == 3 && std::string(argv[2]) == "hjepa", small = argc == 3 && std::string(argv[2]) == "small";
  if (argc != 2 && !hjepa && !small) {
    std::fprintf(stderr, "usage: check_screenshot FILE.png [hjepa|small]\n");
    return 2;
  }
  sf::Image image;
  if (!image.loadFromFile(argv[1])) {
    std::fprintf(stderr, "check_screenshot: cannot load \"%s\"\n", argv[1]);
    return 1;
  }
  bool ok = true;
  if (small) {
    if (image.getSize().x > 1280 || image.getSize().y > 720 || image.getSize().x < 800 || image.getSize().y < 400) {
      std::fprintf(stderr, "check_screenshot: size %ux%u, expected a window that fits a 1280x720 screen\n", image.getSize().x,
                   image.getSize().y);
      return 1;
    }
    kWidth = image.getSize().x, kHeight = image.getSize().y, kViewWidth = kWidth - 580;
  } else if (image.getSize().x != kWidth || image.getSize().y != kHeight) {
    std::fprintf(stderr, "check_screenshot: size %ux%u, expected %ux%u\n", image.getSize().x, image.getSize().y, kWidth, kHeight);
    return 1;
  }
  int counts[hjepa::palette::kRegionFill.size()] = {};
  for (unsigned y = 0; y < kHeight; ++y)
    for (unsigned x = 0; x < kWidth; ++x) {
      const sf::Color c = image.getPixel(x, y);
      for (size_t k = 0; k < hjepa::palette::kRegionFill.size(); ++k)
        if (near(c, hjepa::palette::kRegionFill[k])) ++counts[k];
    }
  int shown = 0;
  for (size_t k = 0; k < hjepa::palette::kRegionFill.size(); ++k) {
    std::fprintf(stderr, "colour %zu: %d pixels\n", k, counts[k]);
    shown += counts[k] >= kMinRegionPixels;
  }
  if (shown < kMinColors) {
    std::fprintf(stderr, "check_screenshot: %d region colours visible (>= %d pixels each), expected >= %d\n", shown,
                 kMinRegionPixels, kMinColors);
    ok = false;
  }
  if (!has_white_block(image)) {
    std::fprintf(stderr, "check_screenshot: no agent marker (a %dx%d white block left of x=%u)\n", kAgentBlock, kAgentBlock,
                 kViewWidth);
    ok = false;
  }
  if (hjepa) {
    const int n = subgoal_pixels(image);
    if (n < kMinSubgoalPixels) {
      std::fprintf(stderr, "check_screenshot: %d pixels of the H-JEPA subgoal mark left of x=%u, expected >= %d\n", n, kViewWidth,
                   kMinSubgoalPixels);
      ok = false;
    }
  }
  if (ok) std::fprintf(stderr, "check_screenshot: ok (%d region colours, agent marker found%s)\n", shown, hjepa ? ", subgoal mark found" : "");
  return ok ? 0 : 1;
}
