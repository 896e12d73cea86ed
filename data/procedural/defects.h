// The defect kinds of each surface, how each is placed so that it follows the material, and the
// defects drawn on a finished surface. Woven fabrics get holes, broken or missing threads, stains,
// cuts and knots (slubs); wood gets holes, cracks along the grain, stains, scratches and knots;
// marble gets chips (holes), cracks along the veins, stains and scratches. Structural defects
// (threads, fabric holes and cuts, wood knots) are built into the material by the renderer;
// stains, scratches, cracks and holes in solid material are drawn here, on the rendered layers,
// with their exact footprint written to the mask.
#pragma once

#include <string>
#include <vector>

#include "data/procedural/surfaces.h"

namespace dforge::data {

const char* defect_name(DefectKind kind);
// Throws naming `name` and listing the known kinds when it is not one of them.
DefectKind defect_from_name(const std::string& name);
// The defect kinds that occur on `type`, in a fixed order.
const std::vector<DefectKind>& defect_kinds_for(SurfaceType type);

// Places a defect of `kind` on the surface: position, size and shape, aligned with the texture
// (a missing thread is a real thread, a crack runs along the grain or a vein, a stain wicks along
// the yarns). Throws when `kind` does not occur on the surface.
DefectPlan plan_defect(DefectKind kind, const SurfaceParameters& parameters, RandomStream& stream);

// Draws the non-structural part of `defect` on `layers` and adds its footprint to the mask.
void apply_defect(const DefectPlan& defect, const SurfaceParameters& parameters, SurfaceLayers& layers);

}  // namespace dforge::data
