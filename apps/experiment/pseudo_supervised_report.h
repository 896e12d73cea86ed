// What `dforge experiment pseudo-supervised` reports (apps/experiment/pseudo_supervised.h):
//   table_iii       per surface, the test AUROC of both regimes and their average (paper 000's form)
//   details_table   per surface and model: split sizes, the step validation chose, val and test
//                   AUROC, DR / FAR at the model's threshold
//   OUT/report.html both tables, per surface a grid of seggan's synthetic defects (training normal |
//                   mask | painted) and the validation AUROC curves of both models, the seggan used.
#pragma once

#include <string>
#include <vector>

#include "apps/experiment/pseudo_supervised.h"

namespace dforge::apps {

struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

TextTable table_iii(const PseudoSupervisedResult& result);
TextTable details_table(const PseudoSupervisedResult& result);
std::string markdown(const TextTable& table);

// Writes OUT/report.html (and the grids it embeds, OUT/<surface>/synthetic_examples.png); returns its path.
std::string write_pseudo_supervised_report(const PseudoSupervisedResult& result, const std::string& out);

}  // namespace dforge::apps
