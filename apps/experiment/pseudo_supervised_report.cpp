#include "apps/experiment/pseudo_supervised_report.h"

#include <filesystem>

#include "apps/report/html_report.h"
#include "apps/report/html_text.h"
#include "apps/seggan/synthesize.h"
#include "apps/training/loss_log.h"

namespace dforge::apps {
namespace fs = std::filesystem;
namespace {

// AUROCs and rates with three decimals.
std::string format(double value) { return format_fixed(value, 3); }

std::string slash(int64_t a, int64_t b) { return std::to_string(a) + "/" + std::to_string(b); }

// RUN/validation.csv as a chart series.
Series validation_curve(const std::string& run, const std::string& name) {
  const LossTable log = read_loss_log((fs::path(run) / "validation.csv").string());
  Series series{name, {}, {}};
  for (const auto& row : log.rows) {
    series.xs.push_back(row[0]);
    series.ys.push_back(row[1]);
  }
  return series;
}

}  // namespace

TextTable table_iii(const PseudoSupervisedResult& result) {
  TextTable table{{"surface", "semi-supervised (autoencoder)", "pseudo-supervised (ResNet-18 on seggan's defects)"}, {}};
  double semi = 0, pseudo = 0;
  for (const SurfaceOutcome& s : result.surfaces) {
    table.rows.push_back({s.surface, format(s.autoencoder.test.image_auroc), format(s.classifier.test.image_auroc)});
    semi += s.autoencoder.test.image_auroc / double(result.surfaces.size());
    pseudo += s.classifier.test.image_auroc / double(result.surfaces.size());
  }
  table.rows.push_back({"avg", format(semi), format(pseudo)});
  return table;
}

TextTable details_table(const PseudoSupervisedResult& result) {
  TextTable table{{"surface", "normals train/val/test", "synthetic train/val", "real defects", "model",
                   "selected at step", "val AUROC", "test AUROC", "DR / FAR"},
                  {}};
  for (const SurfaceOutcome& s : result.surfaces) {
    const SplitCounts& c = s.counts;
    for (const auto& [name, model] : {std::pair<const char*, const SelectedInspector*>{"autoencoder", &s.autoencoder},
                                      {"classifier", &s.classifier}}) {
      table.rows.push_back({s.surface, slash(c.train_normal, c.val_normal) + "/" + std::to_string(c.test_normal),
                            slash(c.train_synthetic, c.val_synthetic), std::to_string(c.real_defects), name,
                            std::to_string(model->step), format(model->validation_auroc),
                            format(model->test.image_auroc),
                            format(model->test.rates.detection_rate) + " / " +
                                format(model->test.rates.false_alarm_rate)});
    }
  }
  return table;
}

std::string markdown(const TextTable& table) {
  auto line = [](const std::vector<std::string>& cells) {
    std::string text = "|";
    for (const std::string& cell : cells) text += " " + cell + " |";
    return text + "\n";
  };
  std::string text = line(table.header) + line(std::vector<std::string>(table.header.size(), "---"));
  for (const auto& row : table.rows) text += line(row);
  return text;
}

std::string write_pseudo_supervised_report(const PseudoSupervisedResult& result, const std::string& out) {
  HtmlReport report("Pseudo-supervised vs semi-supervised inspection (paper 000, Table III)");
  report.paragraph(
      "seggan learned to paint defects on other surfaces. On each surface below, which it never saw, a ResNet-18 "
      "classifier learned normal images vs seggan's defects painted onto them (pseudo-supervised), and a ResNet-18 "
      "autoencoder learned the normal images alone (semi-supervised). Normal images are split 60/20/20 "
      "(train/val/test), synthetic defects 60/40/0, real defects 0/0/100; each model is the one with the best "
      "validation AUROC. The numbers are image AUROC on the real defects and the test normals.");
  const TextTable main = table_iii(result);
  report.table(main.header, main.rows, "image AUROC on real defects of unseen surfaces");
  const TextTable details = details_table(result);
  report.table(details.header, details.rows, "splits, model selection, and DR / FAR at each model's threshold");
  for (const SurfaceOutcome& s : result.surfaces) {
    const fs::path folder = fs::path(out) / s.surface;
    report.heading(s.surface);
    const std::string grid = (folder / "synthetic_examples.png").string();
    write_synthesis_grid((folder / "train").string(), (folder / "synthetic" / "train").string(), 4, grid);
    report.image(grid, s.surface + ": training normal (RGB, backlight) | random mask | seggan's defect (RGB, backlight)");
    ChartOptions chart;
    chart.title = s.surface + ": validation AUROC (normals vs synthetic defects) during training";
    chart.x_label = "step";
    chart.y_label = "AUROC";
    report.line_chart({validation_curve((folder / "autoencoder").string(), "autoencoder"),
                       validation_curve((folder / "classifier").string(), "classifier")},
                      chart);
  }
  report.key_values("Run", {{"seggan", result.seggan_checkpoint}, {"folder", out}});
  const std::string path = (fs::path(out) / "report.html").string();
  report.write(path);
  return path;
}

}  // namespace dforge::apps
