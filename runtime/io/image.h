// Image files <-> tensors, through stb_image / stb_image_write (and our 16-bit PNG encoder).
// Images in memory are f32 [C, H, W] with values in [0, 1], channel 0 first: 1 gray, 2 gray +
// alpha, 3 RGB, 4 RGBA; row 0 is the top of the image.
#pragma once

#include <string>

#include "runtime/tensor.h"

namespace dforge::io {

// Reads any format stb_image decodes (PNG, JPEG, BMP, TGA, PNM, ...) into a CPU f32 [C, H, W], C
// being the file's channel count. 8-bit samples are divided by 255, 16-bit PNG samples by 65535.
// Throws naming the file when it is missing, unreadable or not a decodable image, and for 16-bit
// PGM/PPM (which stb_image 2.27 decodes in the wrong byte order).
Tensor read_image(const std::string& path);

enum class BitDepth { eight, sixteen };
// How PNG image data is packed: deflate-compressed (stb), or stored uncompressed, which is much
// faster and as small for noisy images. 16-bit PNGs are always stored.
enum class PngPacking { compressed, stored };

// Writes `image` (f32 or f64 [C, H, W] with C in 1..4, or [H, W] for gray, any device) in the
// format named by the extension: .png, .jpg / .jpeg (quality 95) or .bmp, case-insensitive. Values
// are clamped to [0, 1] (NaN -> 0) and rounded to the nearest of 255 (or 65535) levels, so an
// image read with read_image is written back bit-exactly. sixteen is for .png only. JPEG and BMP
// store RGB: gray is written as three equal channels (read_image returns C = 3), and images with
// alpha are rejected for JPEG, gray + alpha for BMP (BMP keeps the alpha of RGBA). Atomic (see
// runtime/io/atomic_file.h): on any error an existing file at `path` is left untouched.
void write_image(const std::string& path, const Tensor& image, BitDepth depth = BitDepth::eight,
                 PngPacking packing = PngPacking::compressed);

}  // namespace dforge::io
