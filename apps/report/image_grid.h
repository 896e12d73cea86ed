// Sample grids: the trainer's every-K-steps picture of what the generator does, one row per
// sample, one column per stage (input / mask / output / reconstruction ...), written as one PNG.
//
// Each cell is an f32 or f64 [C, H, W] (or [H, W] gray) tensor on any device. C = 1 is shown gray
// (masks), C = 3 as RGB. A 4-channel cell (RGB frontlight + backlight) takes two grid columns: its
// RGB, then the backlight channel in gray; likewise C = 2 shows channel 0 and channel 1 in gray.
// An undefined Tensor leaves its cell empty. Cells may differ in size: each column is as wide as
// its widest cell, each row as tall as its tallest, and smaller cells sit at the top left. Cells
// are separated by a `gap`-pixel dark gray border. The output is always RGB.
#pragma once

#include <string>
#include <vector>

#include "runtime/tensor.h"

namespace dforge::apps {

struct GridOptions {
  bool signed_range = false;  // values in [-1, 1] (tanh outputs) rather than [0, 1]; applies to every cell
  int gap = 2;                // pixels between cells and around the border
};

// Image i of an [N, C, H, W] batch (any device) as a [C, H, W] CPU tensor: one grid cell.
Tensor batch_image(const Tensor& batch, int64_t i);

// The grid as a CPU f32 [3, H, W] image with values in [0, 1] (out-of-range values clamped).
// Throws dforge::Error naming the row and column of a cell that is not [C, H, W] with C in 1..4.
Tensor compose_image_grid(const std::vector<std::vector<Tensor>>& rows, const GridOptions& options = {});

// compose_image_grid, written to `path` (.png) through io::write_image, atomically.
void write_image_grid(const std::string& path, const std::vector<std::vector<Tensor>>& rows,
                      const GridOptions& options = {});

}  // namespace dforge::apps
