// `dforge eval synth --input DIR --output DIR --masks DIR [--lpips-weights FILE] [--json FILE]`,
// `dforge eval fid --real DIR --fake DIR --weights FILE [--kid] [--json FILE]` and
// `dforge eval detect --scores FILE [--threshold T] [--json FILE]`.
#include "apps/commands/eval.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "metrics/detection.h"
#include "metrics/fid.h"
#include "metrics/synthesis_eval.h"
#include "runtime/error.h"
#include "runtime/io/atomic_file.h"

namespace dforge::apps {

namespace {

using json = nlohmann::json;

// NaN (an empty region) is written as null.
json number(double value) { return std::isnan(value) ? json(nullptr) : json(value); }

void write_json(const std::string& path, const json& document) {
  io::write_file_atomically(path, [&](std::ostream& stream) { stream << document.dump(2) << "\n"; });
}

// ---- eval synth -------------------------------------------------------------------------------

struct SynthArguments {
  std::string input, output, masks, json_path, lpips_weights;
  double data_range = 1.0;
};

void put_metrics(json& object, const metrics::MaskedImageMetrics& m) {
  object["l1_in"] = number(m.inside.l1);
  object["l1_out"] = number(m.outside.l1);
  object["l1_all"] = number(m.all.l1);
  object["l2_in"] = number(m.inside.l2);
  object["l2_out"] = number(m.outside.l2);
  object["l2_all"] = number(m.all.l2);
  object["ssim_in"] = number(m.inside.ssim);
  object["ssim_out"] = number(m.outside.ssim);
  object["ssim_all"] = number(m.all.ssim);
}

void put_lpips(json& object, const std::optional<metrics::LpipsRegions>& lpips) {
  if (!lpips) return;
  object["lpips_in"] = number(lpips->inside);
  object["lpips_out"] = number(lpips->outside);
  object["lpips_all"] = number(lpips->all);
}

json synthesis_json(const metrics::SynthesisEvaluation& evaluation) {
  json document = json::object();
  put_metrics(document, evaluation.mean);
  put_lpips(document, evaluation.lpips);
  document["images"] = evaluation.images.size();
  const metrics::MaskedImageCounts& c = evaluation.counts;
  document["counts"] = {{"l1_in", c.inside.l1}, {"l1_out", c.outside.l1}, {"l1_all", c.all.l1},
                        {"l2_in", c.inside.l2}, {"l2_out", c.outside.l2}, {"l2_all", c.all.l2},
                        {"ssim_in", c.inside.ssim}, {"ssim_out", c.outside.ssim}, {"ssim_all", c.all.ssim}};
  json per_image = json::array();
  for (const metrics::ImageEvaluation& image : evaluation.images) {
    json entry = {{"name", image.name}};
    put_metrics(entry, image.metrics);
    put_lpips(entry, image.lpips);
    per_image.push_back(entry);
  }
  document["per_image"] = per_image;
  return document;
}

std::string cell(double value, int64_t count, int64_t images) {
  char text[64];
  if (std::isnan(value)) return "n/a";
  std::snprintf(text, sizeof text, count == images ? "%.4f" : "%.4f (%lld)", value, (long long)count);
  return text;
}

void print_synthesis_table(const metrics::SynthesisEvaluation& evaluation) {
  const metrics::MaskedImageMetrics& m = evaluation.mean;
  const metrics::MaskedImageCounts& c = evaluation.counts;
  const int64_t n = int64_t(evaluation.images.size());
  std::printf("eval synth: %lld images (means; a count in parentheses = images where the region is not empty)\n",
              (long long)n);
  std::printf("%-6s %18s %18s %18s\n", "", "inside mask", "outside mask", "whole image");
  auto row = [&](const char* name, double in, int64_t cin, double out, int64_t cout, double all, int64_t call) {
    std::printf("%-6s %18s %18s %18s\n", name, cell(in, cin, n).c_str(), cell(out, cout, n).c_str(),
                cell(all, call, n).c_str());
  };
  row("L1", m.inside.l1, c.inside.l1, m.outside.l1, c.outside.l1, m.all.l1, c.all.l1);
  row("L2", m.inside.l2, c.inside.l2, m.outside.l2, c.outside.l2, m.all.l2, c.all.l2);
  row("SSIM", m.inside.ssim, c.inside.ssim, m.outside.ssim, c.outside.ssim, m.all.ssim, c.all.ssim);
  if (const auto& lpips = evaluation.lpips)
    std::printf("%-6s %18s %18s %18s\n", "LPIPS", cell(lpips->inside, n, n).c_str(), cell(lpips->outside, n, n).c_str(),
                cell(lpips->all, n, n).c_str());
}

void run_synth(const SynthArguments& arguments) {
  metrics::SsimOptions options;
  options.data_range = arguments.data_range;
  // Loaded first: a missing weight file fails before any image is read.
  std::unique_ptr<metrics::Lpips> lpips;
  if (!arguments.lpips_weights.empty()) lpips = metrics::load_lpips(arguments.lpips_weights);
  const metrics::SynthesisEvaluation evaluation =
      metrics::evaluate_synthesis(arguments.input, arguments.output, arguments.masks, options, lpips.get());
  print_synthesis_table(evaluation);
  if (!arguments.json_path.empty()) write_json(arguments.json_path, synthesis_json(evaluation));
}

void add_synth(CLI::App& group) {
  auto arguments = std::make_shared<SynthArguments>();
  CLI::App* command = group.add_subcommand(
      "synth", "L1, L2 and SSIM of synthesised images vs their inputs, inside / outside the defect masks");
  command->footer(
      "L1, L2 and SSIM between synthesised images and their inputs, inside the defect masks, outside "
      "them and over the whole image (paper 000, Table II). Each image in --output is paired with the "
      "same-named image in --input and its mask <name>.png or <name>_mask.png in --masks; <name>_bl.png "
      "backlight companions add a 4th channel. SSIM is scikit-image's (Gaussian window 11, sigma 1.5), "
      "averaged over the map cropped by 5 pixels per side.");
  command->add_option("--input", arguments->input, "Folder of the original images x")->required();
  command->add_option("--output", arguments->output, "Folder of the synthesised images G(x)")->required();
  command->add_option("--masks", arguments->masks, "Folder of the defect masks s (defect where > 0.5)")->required();
  command->add_option("--json", arguments->json_path,
                      "Also write the means and per-image values as JSON (NaN, an empty region, as null)");
  command->add_option("--lpips-weights", arguments->lpips_weights,
                      "Also LPIPS (VGG16 lin, v0.1) inside / outside / overall, with these weights "
                      "(made by tools/export_metric_weights.py)");
  command->add_option("--data-range", arguments->data_range, "SSIM data range of the pixel values")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->callback([arguments] { run_synth(*arguments); });
}

// ---- eval fid ----------------------------------------------------------------------------------

struct FidArguments {
  std::string real, fake, weights, json_path;
  bool kid = false;
  metrics::KidOptions kid_options;
  int batch_size = 8;
};

void run_fid(const FidArguments& arguments) {
  const auto network = metrics::load_fid_inception(arguments.weights);
  metrics::FidOptions options;
  options.batch_size = arguments.batch_size;
  if (arguments.kid) options.kid = arguments.kid_options;
  const metrics::FidResult result = metrics::evaluate_fid(*network, arguments.real, arguments.fake, options);
  std::printf("eval fid: %lld real, %lld generated images\n", (long long)result.real_images, (long long)result.fake_images);
  std::printf("  FID  %.4f\n", result.fid);
  json document = {{"fid", result.fid}, {"real_images", result.real_images}, {"fake_images", result.fake_images}};
  if (result.kid) {
    std::printf("  KID  %.6f +- %.6f (%d subsets of %d)\n", result.kid->mean, result.kid->stddev,
                arguments.kid_options.subsets, result.kid->subset_size);
    document["kid"] = result.kid->mean;
    document["kid_std"] = result.kid->stddev;
    document["kid_subset_size"] = result.kid->subset_size;
  }
  if (!arguments.json_path.empty()) write_json(arguments.json_path, document);
}

void add_fid(CLI::App& group) {
  auto arguments = std::make_shared<FidArguments>();
  CLI::App* command = group.add_subcommand("fid", "FID (and KID) of generated images against real ones");
  command->footer(
      "FID with pytorch-fid's InceptionV3 (images resized to 299x299 bilinear, 2048-d pool features; "
      "4-channel images are scored on their RGB part), the Frechet distance in float64 through symmetric "
      "eigendecompositions. --kid adds the unbiased KID (cubic polynomial kernel, clean-fid's subsets). "
      "The weights come from tools/export_metric_weights.py; without them the command fails.");
  // Checked at parsing, before the weights take their second or two to load.
  command->add_option("--real", arguments->real, "Folder of real images")->required()->check(CLI::ExistingDirectory);
  command->add_option("--fake", arguments->fake, "Folder of generated images")->required()->check(CLI::ExistingDirectory);
  command->add_option("--weights", arguments->weights,
                      "FID InceptionV3 weights (safetensors from tools/export_metric_weights.py)");
  command->add_flag("--kid", arguments->kid, "Also compute KID");
  command->add_option("--kid-subsets", arguments->kid_options.subsets, "KID: number of subsets")->capture_default_str();
  command->add_option("--kid-subset-size", arguments->kid_options.subset_size, "KID: largest subset size")
      ->capture_default_str();
  command->add_option("--batch-size", arguments->batch_size, "Images per Inception forward")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->add_option("--json", arguments->json_path, "Also write the results as JSON");
  command->callback([arguments] { run_fid(*arguments); });
}

// ---- eval detect ------------------------------------------------------------------------------

struct DetectArguments {
  std::string scores, json_path;
  double threshold = 0.5;
};

// Lines "<name> <score> <label>" (whitespace separated; '#' starts a comment).
void read_scores(const std::string& path, std::vector<double>& scores, std::vector<int>& labels) {
  std::ifstream stream(path);
  DFORGE_CHECK(stream, "eval detect: cannot open ", path);
  std::string line;
  for (int number = 1; std::getline(stream, line); ++number) {
    const size_t comment = line.find('#');
    if (comment != std::string::npos) line.resize(comment);
    std::istringstream fields(line);
    std::string name;
    if (!(fields >> name)) continue;
    double score;
    int label;
    DFORGE_CHECK(fields >> score >> label, path, ":", number, ": expected \"<name> <score> <label>\", got \"", line, "\"");
    scores.push_back(score);
    labels.push_back(label);
  }
  DFORGE_CHECK(!scores.empty(), "eval detect: no scores in ", path);
}

void run_detect(const DetectArguments& arguments) {
  std::vector<double> scores;
  std::vector<int> labels;
  read_scores(arguments.scores, scores, labels);
  const double auroc = metrics::roc_auc(scores, labels);
  const metrics::F1Score at = metrics::f1_at_threshold(scores, labels, arguments.threshold);
  const metrics::F1Score best = metrics::best_f1(scores, labels);
  std::vector<int> decisions;
  for (double score : scores) decisions.push_back(score >= arguments.threshold ? 1 : 0);
  const metrics::DetectionRates rates = metrics::detection_rates(labels, decisions);
  std::printf("eval detect: %zu images (%lld defective, %lld defect-free)\n", scores.size(),
              (long long)rates.defective, (long long)rates.defect_free);
  std::printf("  AUROC              %.4f\n", auroc);
  std::printf("  F1 at %-12g %.4f (precision %.4f, recall %.4f)\n", arguments.threshold, at.f1, at.precision, at.recall);
  std::printf("  best F1            %.4f at threshold %g\n", best.f1, best.threshold);
  std::printf("  DR / FAR at %-6g %.4f / %.4f\n", arguments.threshold, rates.detection_rate, rates.false_alarm_rate);
  if (arguments.json_path.empty()) return;
  write_json(arguments.json_path, {{"auroc", auroc},
                                   {"threshold", arguments.threshold},
                                   {"f1", at.f1},
                                   {"precision", at.precision},
                                   {"recall", at.recall},
                                   {"best_f1", best.f1},
                                   {"best_f1_threshold", best.threshold},
                                   {"dr", number(rates.detection_rate)},
                                   {"far", number(rates.false_alarm_rate)},
                                   {"images", scores.size()}});
}

void add_detect(CLI::App& group) {
  auto arguments = std::make_shared<DetectArguments>();
  CLI::App* command = group.add_subcommand("detect", "AUROC, F1, DR and FAR of per-image scores against labels");
  command->footer(
      "Image-level detection metrics from a scores file: AUROC (ties as scikit-learn), F1 at --threshold "
      "and the best F1 over all thresholds, DR and FAR (paper 004, eqs. 2-3; an image is detected as "
      "defective when its score >= --threshold).");
  command->add_option("--scores", arguments->scores,
                      "Text file, one image per line: <name> <score> <label 0|1> ('#' comments)")
      ->required();
  command->add_option("--threshold", arguments->threshold, "Decision threshold (score >= threshold: defective)")
      ->capture_default_str();
  command->add_option("--json", arguments->json_path, "Also write the metrics as JSON");
  command->callback([arguments] { run_detect(*arguments); });
}

}  // namespace

void add_eval_command(CLI::App& app) {
  CLI::App* group = app.add_subcommand(
      "eval", "Evaluate synthesised images (synth, fid) or an inspector's scores (detect)");
  group->require_subcommand(1);
  add_synth(*group);
  add_fid(*group);
  add_detect(*group);
}

}  // namespace dforge::apps
