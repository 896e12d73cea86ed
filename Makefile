# Front door: `make` builds, `make test` builds and runs every test, `make demo` runs the main job.
BUILD ?= build
JOBS  ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build test demo bench bench-seggan clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The main job: seggan on the built-in data, ending in runs/demo/report.html (apps/demo/demo.h).
demo: build
	./$(BUILD)/dforge demo

# Per-op forward+backward timings next to PyTorch; `make bench DEVICE=cuda` on a GPU machine.
DEVICE ?= cpu
PYTHON ?= /usr/bin/python3
bench: build
	cmake --build $(BUILD) -j $(JOBS) --target bench_ops
	$(PYTHON) bench/ops_vs_torch.py --binary $(BUILD)/bench_ops --device $(DEVICE)

# A full seggan training step (G and D updates) next to PyTorch eager, CPU, 128x128, 2 threads.
bench-seggan: build
	$(BUILD)/dforge bench seggan --device cpu --size 128 --batch 1,8 --steps 5 --warmup 1 --threads 2

clean:
	rm -rf $(BUILD)
