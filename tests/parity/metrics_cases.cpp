// parity_driver's metric cases (see metrics_cases.h).
#include "tests/parity/metrics_cases.h"

#include "metrics/detection.h"
#include "metrics/image_metrics.h"
#include "runtime/error.h"

namespace dforge::parity {

namespace {

Tensor scalar_f64(double value) { return Tensor::scalar(value, DType::f64); }

NamedTensors run_image_case(const io::TensorFile& in, const nlohmann::json& config) {
  metrics::SsimOptions options;
  options.data_range = config.value("data_range", 1.0);
  const Tensor mask = in.contains("input2") ? in.get("input2") : Tensor();
  const metrics::MaskedImageMetrics m = metrics::masked_image_metrics(in.get("input0"), in.get("input1"), mask, options);
  std::vector<double> values;
  for (const metrics::RegionMetrics& region : {m.all, m.inside, m.outside})
    values.insert(values.end(), {region.l1, region.l2, region.ssim});
  return {{"values", Tensor::from_values(values, {9}, DType::f64)}};
}

NamedTensors run_detection_case(const io::TensorFile& in) {
  const std::vector<double> scores = in.get("input0").to_vector();
  std::vector<int> labels;
  for (double label : in.get("input1").to_vector()) labels.push_back(int(label));
  const metrics::F1Score best = metrics::best_f1(scores, labels);
  return {{"auroc", scalar_f64(metrics::roc_auc(scores, labels))},
          {"best_f1", scalar_f64(best.f1)},
          {"best_f1_threshold", scalar_f64(best.threshold)}};
}

}  // namespace

bool is_metrics_case(const std::string& name) { return name.rfind("metrics.", 0) == 0; }

NamedTensors run_metrics_case(const std::string& name, const io::TensorFile& in, const nlohmann::json& config) {
  if (name == "metrics.image") return run_image_case(in, config);
  if (name == "metrics.detection") return run_detection_case(in);
  throw Error("parity_driver: unknown metrics case " + name);
}

}  // namespace dforge::parity
