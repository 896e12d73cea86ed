// DefectKind and DefectPlan: what a defect is and where it lies, decided before anything is drawn.
// The plan is plain geometry in image pixels (and, for threads, in the fabric's own coordinates),
// so the surface renderer can build the defect into the material -- a missing thread is a thread
// that is not there, a hole is threads that end -- and the effects drawn afterwards (stains,
// scratches, cracks) know their exact footprint for the mask.
#pragma once

#include <cstdint>
#include <optional>

#include "data/procedural/geometry.h"

namespace dforge::data {

enum class DefectKind : uint8_t { hole, broken_thread, stain, cut, knot, scratch, crack };

struct Rgb {
  double red = 0.0, green = 0.0, blue = 0.0;
};

enum class ThreadAxis : uint8_t { warp, weft };  // warp threads run along v, weft threads along u

// Thread `thread` of `axis` is missing between fabric coordinates start and end along its length.
struct ThreadSegment {
  ThreadAxis axis = ThreadAxis::warp;
  int64_t thread = 0;
  double start = 0.0, end = 0.0;
};

// A slub or knot: the thread's width is multiplied by 1 + amplitude exp(-((s - along) / length)^2).
struct ThreadKnot {
  ThreadAxis axis = ThreadAxis::warp;
  int64_t thread = 0;
  double along = 0.0, amplitude = 1.0, length = 4.0;
};

struct DefectPlan {
  DefectKind kind = DefectKind::hole;
  int variant = 0;                    // stain: 0 dye, 1 oil; hole on fabric: 0 round, 1 torn
  std::optional<Blob> region;         // hole, stain, wood knot, chip
  std::optional<Polyline> path;       // cut, scratch, crack
  std::optional<ThreadSegment> missing_thread;
  std::optional<ThreadKnot> thread_knot;
  Rgb colour;                         // stain dye colour (reflectance it tends to)
  double strength = 1.0;              // stain concentration, scratch depth
  double fray = 0.0;                  // how far cut thread ends reach into a hole or cut, pixels
  double edge = 2.0;                  // width of a stain's soft edge, pixels
};

}  // namespace dforge::data
