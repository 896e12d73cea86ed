// FID / KID over image folders: RGB conversion, batched Inception features, the distances.
#include "metrics/fid.h"

#include <algorithm>
#include <filesystem>

#include "autograd/grad_mode.h"
#include "data/files.h"
#include "metrics/metric_weights.h"
#include "runtime/error.h"
#include "runtime/io/image.h"
#include "runtime/resize.h"
#include "runtime/shape_ops.h"

namespace dforge::metrics {

std::unique_ptr<models::InceptionV3Fid> load_fid_inception(const std::string& path) {
  const NamedTensors weights = load_metric_weights(path, "FID", "--weights");
  Generator unused(0);
  auto network = std::make_unique<models::InceptionV3Fid>(unused);
  network->load_state_dict(weights, path);
  network->eval();
  return network;
}

Tensor fid_rgb(const Tensor& image) {
  DFORGE_CHECK(image.ndim() == 3 && image.size(0) >= 1 && image.size(0) <= 4, "FID: expected an image [1-4, H, W], got ",
               image.describe());
  const int64_t channels = image.size(0), plane = image.size(1) * image.size(2);
  const std::vector<double> values = image.to_vector();
  std::vector<double> rgb(size_t(3 * plane));
  for (int64_t c = 0; c < 3; ++c) {
    const int64_t source = channels >= 3 ? c : 0;  // gray (+ alpha): the gray plane thrice
    std::copy_n(values.begin() + source * plane, plane, rgb.begin() + c * plane);
  }
  return Tensor::from_values(rgb, {3, image.size(1), image.size(2)});
}

Tensor inception_features(models::InceptionV3Fid& network, const std::vector<Tensor>& images, int batch_size) {
  DFORGE_CHECK(batch_size > 0, "FID: batch size must be positive, got ", batch_size);
  NoGradGuard no_grad;
  network.eval();
  const int size = models::InceptionV3Fid::kInputSize;
  std::vector<Tensor> rows;
  for (size_t start = 0; start < images.size(); start += size_t(batch_size)) {
    std::vector<Tensor> batch;
    for (size_t i = start; i < std::min(images.size(), start + size_t(batch_size)); ++i) {
      const Tensor rgb = fid_rgb(images[i]);
      // Resizing each image alone lets images of different sizes share a batch; the network's own
      // resize to 299 is then the identity.
      batch.push_back(runtime::upsample(rgb.reshape({1, 3, rgb.size(1), rgb.size(2)}), size, size,
                                        UpsampleMode::bilinear, false));
    }
    rows.push_back(network.features(Variable(runtime::cat(batch, 0))).data().to(DType::f64));
  }
  DFORGE_CHECK(!rows.empty(), "FID: no images");
  return runtime::cat(rows, 0);
}

namespace {

std::vector<Tensor> read_folder(const std::string& directory) {
  DFORGE_CHECK(std::filesystem::is_directory(directory), "FID: image folder ", directory, " does not exist");
  std::vector<Tensor> images;
  for (const std::string& path : data::list_images(directory)) images.push_back(io::read_image(path));
  DFORGE_CHECK(images.size() >= 2, "FID: ", directory, " holds ", images.size(), " image(s); at least 2 are needed");
  return images;
}

}  // namespace

FidResult evaluate_fid(models::InceptionV3Fid& network, const std::string& real_dir, const std::string& fake_dir,
                       const FidOptions& options) {
  const Tensor real = inception_features(network, read_folder(real_dir), options.batch_size);
  const Tensor fake = inception_features(network, read_folder(fake_dir), options.batch_size);
  FidResult result;
  result.real_images = real.size(0);
  result.fake_images = fake.size(0);
  result.fid = frechet_distance(feature_statistics(real), feature_statistics(fake));
  if (options.kid) result.kid = kernel_inception_distance(real, fake, *options.kid);
  return result;
}

}  // namespace dforge::metrics
