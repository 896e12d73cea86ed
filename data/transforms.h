// Sample transforms. Each keeps the image and its mask aligned pixel for pixel and returns a new
// Sample; the random ones draw from a RandomStream, so a sample's augmentation is a pure function
// of (seed, epoch, sample) -- the same on any number of loader threads.
//
// Masks stay binary: bilinear resizing thresholds the resized mask at 0.5; area resizing marks a
// destination pixel defective when any defect pixel falls in its footprint, so thin defects
// (a 1-pixel scratch at 1024 -> 256) are not lost.
#pragma once

#include "data/random_stream.h"
#include "data/sample.h"

namespace dforge::data {

enum class ResizeMethod {
  area,      // exact box filter: each output pixel averages the input area it covers (fractions
             // included); the right choice for shrinking, the same as OpenCV's INTER_AREA
  bilinear,  // half-pixel centres (align_corners = false), no anti-aliasing
};

Sample resize(const Sample& sample, int height, int width, ResizeMethod method);
// The window [top, top + height) x [left, left + width); throws when it leaves the image.
Sample crop(const Sample& sample, int top, int left, int height, int width);
// A window at a uniformly random position. Throws when the image is smaller than the window.
Sample random_crop(const Sample& sample, int height, int width, RandomStream& stream);
// Paper 000's crop: centred on a uniformly random pixel inside the bounding box of the defect (the
// window clamped to the image), uniform for samples without defect pixels. Always contains defect
// pixels when the sample has any: if the window round the chosen pixel would miss the defect
// (possible for a sparse or diagonal defect), it is centred on a random defect pixel instead.
Sample defect_centred_crop(const Sample& sample, int height, int width, RandomStream& stream);
Sample flip_horizontal(const Sample& sample);
Sample flip_vertical(const Sample& sample);
// Rotates counter-clockwise by quarter_turns * 90 degrees (any integer; taken mod 4).
Sample rotate90(const Sample& sample, int quarter_turns);

// Relative strengths: brightness b scales by a factor in [1 - b, 1 + b], contrast blends towards
// the image mean by a factor in [1 - c, 1 + c], saturation blends RGB towards its luminance by a
// factor in [1 - s, 1 + s]. Brightness and contrast apply to every channel (the backlight too);
// saturation to RGB only. All zero: nothing changes.
struct ColourJitter {
  double brightness = 0.0, contrast = 0.0, saturation = 0.0;
  bool enabled() const { return brightness > 0.0 || contrast > 0.0 || saturation > 0.0; }
};
Sample colour_jitter(const Sample& sample, const ColourJitter& jitter, RandomStream& stream);

// Image values x in [0, 1] -> 2x - 1 in [-1, 1] (the range of a tanh generator); masks unchanged.
Sample to_signed_range(const Sample& sample);

enum class CropMode { none, random, defect_centred, centre };

// A pipeline, applied in this order: resize, crop, colour jitter, flips, rotation, [-1, 1] (the
// last three in one pass over the pixels).
struct TransformOptions {
  int resize_height = 0, resize_width = 0;  // 0: no resize
  ResizeMethod resize_method = ResizeMethod::area;
  CropMode crop = CropMode::none;
  int crop_height = 0, crop_width = 0;
  bool flip_horizontal = false;  // each with probability 1/2
  bool flip_vertical = false;
  bool rotate90 = false;         // 0, 90, 180 or 270 degrees, uniformly
  ColourJitter jitter;           // off by default
  bool signed_range = false;     // scale to [-1, 1] last
};

// Each step draws from its own fork of `stream`, so turning one step on or off does not change the
// random choices of the others.
Sample apply_transforms(Sample sample, const TransformOptions& options, const RandomStream& stream);

}  // namespace dforge::data
