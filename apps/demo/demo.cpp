#include "apps/demo/demo.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "apps/demo/builtin.h"
#include "apps/exit_status.h"
#include "apps/report/html_report.h"
#include "apps/report/html_text.h"
#include "apps/inspect/eval_inspector.h"
#include "apps/pseudo/train_pseudo.h"
#include "apps/training/loss_log.h"
#include "apps/training/run_folder.h"
#include "apps/seggan/synthesize.h"
#include "apps/seggan/train_seggan.h"
#include "data/procedural/surfaces.h"
#include "metrics/synthesis_eval.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace fs = std::filesystem;
namespace {

const std::string kUnseenSurface = "twill";

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string format(double value, int decimals = 4) { return format_fixed(value, decimals); }

// The pseudo model (paper 004) of the same preset: its segmenter learns from normal images of the
// seen surfaces with painted pseudo-defects; no defective image is used.
models::PseudoConfig pseudo_preset(const std::string& preset) {
  models::PseudoConfig config;
  config.surfaces = builtin_seen_surfaces();
  if (preset == "gpu") return config;  // the paper's: 128-pixel crops, batch 16, 2000 steps
  config.crop = 64;
  config.batch = 8;
  config.steps = 300;
  config.sample_every = 100;
  config.checkpoint_every = 100;
  return config;
}

struct SurfaceResult {
  std::string surface;
  bool seen = false;
  std::string images, synth;  // the defect-free inputs and the synthesis folder
  metrics::SynthesisEvaluation evaluation;
};

std::vector<std::string> metric_row(const std::string& name, const metrics::MaskedImageMetrics& m) {
  return {name,
          format(m.inside.l1),
          format(m.outside.l1),
          format(m.inside.l2),
          format(m.outside.l2),
          format(m.inside.ssim),
          format(m.outside.ssim)};
}

// Mean of each metric over surfaces (each surface's mean weighs the same).
metrics::MaskedImageMetrics mean_over(const std::vector<SurfaceResult>& results, bool seen) {
  std::vector<metrics::ImageEvaluation> means;
  for (const SurfaceResult& result : results)
    if (result.seen == seen) means.push_back({result.surface, result.evaluation.mean});
  metrics::MaskedImageMetrics mean;
  metrics::MaskedImageCounts counts;
  metrics::average_over_images(means, mean, counts);
  return mean;
}

void add_loss_charts(HtmlReport& report, const std::string& losses_csv) {
  LossTable table = read_loss_log(losses_csv);
  auto column = [&](const std::string& name) {
    Series series{name, {}, {}};
    size_t index = 0;
    while (index < table.columns.size() && table.columns[index] != name) ++index;
    DFORGE_CHECK(index < table.columns.size(), losses_csv, ": no column '", name, "'");
    for (const auto& row : table.rows) {
      series.xs.push_back(row[0]);
      series.ys.push_back(row[index + 1]);
    }
    return series;
  };
  ChartOptions options;
  options.x_label = "step";
  options.y_label = "loss";
  options.smoothing = 0.9;
  options.title = "Generators: adversarial terms (LSGAN, D_y weighted by the mask)";
  report.line_chart({column("g_gan_y"), column("g_gan_x")}, options);
  options.title = "Generators: cycle and identity (L1, weighted)";
  report.line_chart({column("cycle"), column("identity")}, options);
  options.title = "Discriminators";
  report.line_chart({column("d_y"), column("d_x")}, options);
}

std::string latest_sample(const std::string& run) {
  std::string latest;
  for (const auto& entry : fs::directory_iterator(fs::path(run) / "samples"))
    if (entry.path().extension() == ".png" && entry.path().string() > latest) latest = entry.path().string();
  DFORGE_CHECK(!latest.empty(), run, "/samples: no sample grid");
  return latest;
}

}  // namespace

std::string run_demo(const DemoOptions& options) {
  const std::string preset = resolve_preset(options.preset, options.device, "demo");
  models::SegganConfig config = seggan_preset(preset);
  if (options.steps > 0) config.steps = options.steps;

  const double datagen_seconds = ensure_builtin_dataset(options.data, options.progress);

  // 2. Train (or finish / reuse an earlier run in the same folder).
  SegganRunOptions run;
  run.data = options.data;
  run.out = (fs::path(options.out) / "seggan").string();
  run.config = config;
  run.device = options.device;
  run.resume = fs::exists(run_checkpoint_path(run.out));
  run.progress = options.progress;
  if (options.progress)
    std::fprintf(stderr, "demo: training seggan (%s preset, %lld steps) on %s\n", preset.c_str(),
                 static_cast<long long>(config.steps), options.data.c_str());
  TrainingResult trained = train_seggan(run);
  if (trained.interrupted)
    stop_interrupted(concat("demo: training was interrupted at step ", trained.steps_done,
                            "; run the demo again to continue"));

  // 3-4. Synthesize on the defect-free test images with new masks, and evaluate.
  const auto synth_start = std::chrono::steady_clock::now();
  std::vector<SurfaceResult> results;
  std::vector<std::string> surfaces = builtin_seen_surfaces();
  surfaces.push_back(kUnseenSurface);
  for (const std::string& surface : surfaces) {
    SurfaceResult result;
    result.surface = surface;
    result.seen = surface != kUnseenSurface;
    result.images = (fs::path(options.data) / surface / "test" / "good").string();
    result.synth = (fs::path(options.out) / "synth" / surface).string();
    SegganSynthOptions synth;
    synth.weights = trained.checkpoint;
    synth.images = result.images;
    synth.random_masks = 1;
    synth.seed = 1000 + results.size();  // masks the model never saw, different per surface
    synth.out = result.synth;
    synth.device = options.device;
    synth.progress = options.progress;
    synthesize_seggan(synth);
    result.evaluation = metrics::evaluate_synthesis(result.images, result.synth + "/images", result.synth + "/masks");
    results.push_back(std::move(result));
  }
  const double synth_seconds = seconds_since(synth_start);

  // 6. The pseudo model, evaluated on the real defects of every surface.
  PseudoRunOptions pseudo;
  pseudo.data = options.data;
  pseudo.out = (fs::path(options.out) / "pseudo").string();
  pseudo.config = pseudo_preset(preset);
  if (options.steps > 0) pseudo.config.steps = options.steps;
  pseudo.device = options.device;
  pseudo.resume = fs::exists(run_checkpoint_path(pseudo.out));
  pseudo.progress = options.progress;
  if (options.progress) std::fprintf(stderr, "demo: training the pseudo segmenter (paper 004)\n");
  TrainingResult pseudo_trained = train_pseudo(pseudo);
  if (pseudo_trained.interrupted) stop_interrupted("demo: training was interrupted; run the demo again to continue");
  std::vector<std::pair<std::string, InspectEvaluation>> detections;
  for (const std::string& surface : surfaces) {
    InspectEvalOptions evaluation;
    evaluation.checkpoint = pseudo_trained.checkpoint;
    evaluation.data = (fs::path(options.data) / surface).string();
    evaluation.device = options.device;
    evaluation.progress = false;
    detections.emplace_back(surface, evaluate_inspector(evaluation));
  }

  // 5. The report.
  HtmlReport report("defectforge demo: seggan on the built-in data");
  report.paragraph(
      "seggan (paper 000, a segmentation-guided CycleGAN) learned to paint defects from the defective images of "
      "three surfaces of the built-in procedural dataset. It was then asked to paint defects, at new random "
      "masks, onto defect-free test images of those surfaces (seen) and of a surface it never saw (unseen). "
      "A good painter changes the image inside the mask and leaves the rest alone: low L1/L2 and high SSIM "
      "outside the mask, a visible change inside it.");
  report.heading("Synthesized defects");
  for (const SurfaceResult& result : results) {
    const std::string grid = (fs::path(options.out) / ("synth_" + result.surface + ".png")).string();
    write_synthesis_grid(result.images, result.synth, 4, grid);
    report.image(grid, result.surface + (result.seen ? " (seen)" : " (unseen)") +
                           ": defect-free input (RGB, backlight) | mask | synthesized (RGB, backlight)");
  }
  report.heading("Fidelity inside and outside the mask (paper 000, Table II)");
  std::vector<std::vector<std::string>> rows;
  for (const SurfaceResult& result : results)
    rows.push_back(metric_row(result.surface + (result.seen ? " (seen)" : " (unseen)"), result.evaluation.mean));
  rows.push_back(metric_row("mean, seen surfaces", mean_over(results, true)));
  report.table({"surface", "L1 in", "L1 out", "L2 in", "L2 out", "SSIM in", "SSIM out"}, rows,
               "Synthesized vs defect-free input, images in [0, 1], RGB + backlight; means over each surface's "
               "test/good images (" + std::to_string(results.front().evaluation.images.size()) + " per surface)");
  report.heading("Training");
  report.image(latest_sample(run.out),
               "last sample grid: x | mask | G_y(x, mask) | G_x(G_y(x, mask)), then y | mask | G_x(y) | "
               "G_y(G_x(y), mask)");
  add_loss_charts(report, (fs::path(run.out) / "losses.csv").string());
  report.heading("pseudo (paper 004): a segmenter trained on painted pseudo-defects");
  report.paragraph(
      "No GAN and no real defect: random shapes with exact masks are painted onto normal images of the seen "
      "surfaces and a binary U-Net learns to segment them. Evaluated here on each surface's real defects "
      "(test split). An image is called defective when its most confident pixel reaches 0.5; DR is the share "
      "of defective images detected, FAR the share of normal images flagged (paper 004, eq. 2-3).");
  std::vector<std::vector<std::string>> detection_rows;
  for (const auto& [surface, e] : detections) {
    const auto& seen_surfaces = builtin_seen_surfaces();
    const bool seen = std::find(seen_surfaces.begin(), seen_surfaces.end(), surface) != seen_surfaces.end();
    detection_rows.push_back({surface + (seen ? " (seen)" : " (unseen)"), std::to_string(e.images),
                              format(e.image_auroc, 3), format(e.rates.detection_rate, 3),
                              format(e.rates.false_alarm_rate, 3),
                              e.pixel_auroc ? format(*e.pixel_auroc, 3) : std::string("-"),
                              e.iou ? format(e.iou->mean, 3) : std::string("-")});
  }
  report.table({"surface", "images", "image AUROC", "DR", "FAR", "pixel AUROC", "mIoU"}, detection_rows,
               "the pseudo segmenter on real defects, threshold 0.5");
  report.image(latest_sample(pseudo.out), "last pseudo training samples: painted crop | true mask | predicted");

  report.heading("Configuration and timings");
  report.key_values("Run", {{"preset", preset},
                            {"device", options.device.name()},
                            {"data", options.data},
                            {"training steps", std::to_string(trained.steps_done)},
                            {"checkpoint", trained.checkpoint}});
  report.key_values("Timings (this invocation)",
                    {{"dataset generation", format(datagen_seconds, 1) + " s"},
                     {"training", format(trained.seconds, 1) + " s"},
                     {"training throughput", trained.steps_run > 0
                                                 ? format(double(trained.steps_run) / trained.seconds, 2) + " steps/s"
                                                 : std::string("(trained by an earlier run)")},
                     {"synthesis + evaluation", format(synth_seconds, 1) + " s"},
                     {"pseudo training", format(pseudo_trained.seconds, 1) + " s"}});
  report.preformatted("seggan " + models::to_json(config).dump(2));
  report.preformatted("pseudo " + models::to_json(pseudo.config).dump(2));
  report.paragraph("Reproduce: make demo (or dforge demo --preset " + preset + "); every step is deterministic "
                   "for its seed on the CPU.");
  const std::string path = (fs::path(options.out) / "report.html").string();
  report.write(path);
  return path;
}

}  // namespace dforge::apps
