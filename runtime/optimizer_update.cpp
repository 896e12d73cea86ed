#include "runtime/optimizer_update.h"

#include <algorithm>
#include <utility>

#include "runtime/dispatch.h"

namespace dforge::runtime {

namespace {

// `other` (the member's gradient or a state tensor) must be defined and match its parameter's
// device, dtype and shape.
void check_like(const char* op, size_t index, const Tensor& parameter, const Tensor& other, const char* what) {
  DFORGE_CHECK(other.defined(), op, ": parameter ", index, " ", shape_str(parameter.shape()), " has an undefined ",
               what);
  DFORGE_CHECK(other.device() == parameter.device() && other.dtype() == parameter.dtype(), op, ": parameter ",
               index, " is ", parameter.describe(), " but its ", what, " is ", other.describe());
  DFORGE_CHECK(other.shape() == parameter.shape(), op, ": parameter ", index, ": ", what, " ",
               shape_str(other.shape()), " does not match the parameter ", shape_str(parameter.shape()));
}

// Every parameter is defined, floating and on the device and of the dtype of the first, and no
// two members update the same storage (on the GPU they would race within one launch).
template <typename Member>
void check_group(const char* op, const std::vector<Member>& group) {
  const Tensor& first = group.front().parameter;
  std::vector<std::pair<const void*, size_t>> storages;
  storages.reserve(group.size());
  for (size_t i = 0; i < group.size(); ++i) {
    const Tensor& parameter = group[i].parameter;
    DFORGE_CHECK(parameter.defined(), op, ": parameter ", i, " is an undefined tensor");
    DFORGE_CHECK(is_floating(parameter.dtype()), op, ": parameter ", i, " is ", parameter.describe(),
                 ", not floating point");
    DFORGE_CHECK(parameter.device() == first.device() && parameter.dtype() == first.dtype(), op,
                 ": all parameters of a group must share one device and dtype; parameter 0 is ", first.describe(),
                 ", parameter ", i, " is ", parameter.describe());
    if (parameter.numel() > 0) storages.emplace_back(parameter.raw(), i);
  }
  std::sort(storages.begin(), storages.end());
  for (size_t k = 1; k < storages.size(); ++k) {
    DFORGE_CHECK(storages[k].first != storages[k - 1].first, op, ": parameters ",
                 std::min(storages[k - 1].second, storages[k].second), " and ",
                 std::max(storages[k - 1].second, storages[k].second), " are the same tensor ",
                 shape_str(group[storages[k].second].parameter.shape()));
  }
}

}  // namespace

void sgd_update(const std::vector<SgdTensors>& group, const SgdStep& step) {
  if (group.empty()) return;
  check_group("sgd", group);
  for (size_t i = 0; i < group.size(); ++i) {
    check_like("sgd", i, group[i].parameter, group[i].grad, "gradient");
    if (step.momentum != 0) check_like("sgd", i, group[i].parameter, group[i].momentum_buffer, "momentum buffer");
  }
  DFORGE_ROUTE(group.front().parameter.device(), sgd_update, group, step);
}

void adam_update(const std::vector<AdamTensors>& group, const AdamStep& step) {
  if (group.empty()) return;
  check_group("adam", group);
  for (size_t i = 0; i < group.size(); ++i) {
    check_like("adam", i, group[i].parameter, group[i].grad, "gradient");
    check_like("adam", i, group[i].parameter, group[i].exp_avg, "exp_avg");
    check_like("adam", i, group[i].parameter, group[i].exp_avg_sq, "exp_avg_sq");
  }
  DFORGE_ROUTE(group.front().parameter.device(), adam_update, group, step);
}

}  // namespace dforge::runtime
