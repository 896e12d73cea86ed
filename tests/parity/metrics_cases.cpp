// parity_driver's metric cases (see metrics_cases.h).
#include "tests/parity/metrics_cases.h"

#include "autograd/grad_mode.h"
#include "metrics/detection.h"
#include "metrics/frechet_distance.h"
#include "metrics/lpips.h"
#include "metrics/image_metrics.h"
#include "models/nets/inception_v3.h"
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

// The network weights of a case: the input file's tensors named "weight.<name>", renamed <name>.
NamedTensors case_weights(const io::TensorFile& in) {
  const std::string prefix = "weight.";
  NamedTensors weights;
  for (const auto& [name, tensor] : in.tensors)
    if (name.rfind(prefix, 0) == 0) weights.emplace_back(name.substr(prefix.size()), tensor);
  return weights;
}

NamedTensors run_lpips_case(const io::TensorFile& in) {
  NoGradGuard no_grad;
  Generator generator(0);
  metrics::Lpips lpips(generator);
  lpips.load_weights(case_weights(in), in.path);
  const Variable x0(in.get("input0")), x1(in.get("input1"));
  NamedTensors out = {{"distance", lpips.distance(x0, x1).data()}};
  if (in.contains("input2")) out.emplace_back("distance_weighted", lpips.distance_weighted(x0, x1, Variable(in.get("input2"))).data());
  return out;
}

NamedTensors run_inception_case(const io::TensorFile& in) {
  NoGradGuard no_grad;
  Generator generator(0);
  models::InceptionV3Fid network(generator);
  network.load_state_dict(case_weights(in), in.path);
  network.eval();
  return {{"features", network.features(Variable(in.get("input0"))).data()}};
}

NamedTensors run_frechet_case(const io::TensorFile& in) {
  const double fid =
      metrics::frechet_distance(metrics::feature_statistics(in.get("input0")), metrics::feature_statistics(in.get("input1")));
  return {{"fid", scalar_f64(fid)}};
}

}  // namespace

bool is_metrics_case(const std::string& name) { return name.rfind("metrics.", 0) == 0; }

NamedTensors run_metrics_case(const std::string& name, const io::TensorFile& in, const nlohmann::json& config) {
  if (name == "metrics.image") return run_image_case(in, config);
  if (name == "metrics.detection") return run_detection_case(in);
  if (name == "metrics.lpips") return run_lpips_case(in);
  if (name == "metrics.inception") return run_inception_case(in);
  if (name == "metrics.frechet") return run_frechet_case(in);
  throw Error("parity_driver: unknown metrics case " + name);
}

}  // namespace dforge::parity
