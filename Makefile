# openassist — the two commands of the quick start:
#   make run    install what is missing, build (Release), start one node
#   make test   install what is missing, build (ASan+UBSan, -Werror), run every test
# and:  make bench (benchmarks, Release), make soak (memory, 1 hour), make fuzz
#       (longer fuzzing), make clean,
#       make format / format-check / tidy (see docs/DEVELOPING.md)

SHELL := /bin/bash
JOBS ?= $(shell nproc)
PUBLIC_PORT ?= 8080
ADMIN_PORT ?= 9090
BIND ?= 127.0.0.1
DATA_DIR ?= ./data
FUZZ_SECONDS ?= 300
CLANG_FORMAT ?= clang-format-14
# Every fuzz target is tests/fuzz/<name>.cpp, built as <name> by oa_fuzz_target
# in tests/fuzz/CMakeLists.txt; tests/CMakeLists.txt derives its list the same
# way, so a new fuzz_*.cpp is fuzzed by ctest and `make fuzz` without a list to
# update (and fails loudly if it is not built).
FUZZ_TARGETS := $(sort $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.cpp))))
FUZZ_BIN := build/fuzz/tests/fuzz

.PHONY: run package-agent test bench soak fuzz fuzz-seeds deps web release test-build fuzz-build \
	clean format format-check tidy

deps:
	@bash deploy/install-deps.sh

web: deps
	@cd web && npm run --silent build >/dev/null && echo "web: built web/dist"

release: deps web
	@cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DOA_TESTS=OFF >/dev/null
	@cmake --build build/release -j $(JOBS)

# The support app's .deb, served by the node under /downloads/.
package-agent: release
	@cd build/release && cpack -G DEB -B downloads >/dev/null && \
	  rm -rf downloads/_CPack_Packages && echo "package-agent: $$(ls downloads/*.deb)"

run: package-agent
	@mkdir -p $(DATA_DIR)
	exec ./build/release/node/openassist --node.data-dir=$(DATA_DIR) \
	  --node.bind=$(BIND) --node.public-port=$(PUBLIC_PORT) \
	  --node.admin-port=$(ADMIN_PORT) --node.web-dir=web/dist --node.demo \
	  --node.downloads-dir=build/release/downloads

# Longer fuzzing runs use an optimised tree of their own; ctest fuzzes with
# the test tree's targets (tests/fuzz/CMakeLists.txt).
fuzz-build: deps
	@$(call clang_tree,build/fuzz)
	@CC=clang-14 CXX=clang++-14 cmake -S . -B build/fuzz -G Ninja \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOA_SANITIZE=ON -DOA_WERROR=ON >/dev/null
	@cmake --build build/fuzz -j $(JOBS) --target $(FUZZ_TARGETS)

# One tree for every test: clang 14, ASan + UBSan, -Werror, the fuzz targets
# included. A tree configured by another compiler (GCC before 12-06) is made
# afresh, as CMake keeps the compiler of its first configuration.
clang_tree = [ ! -f $(1)/CMakeCache.txt ] || grep -q '^CMAKE_CXX_COMPILER:.*clang++-14' \
	$(1)/CMakeCache.txt || { echo "$(1): configured by another compiler, made afresh"; rm -rf $(1); }

test-build: deps web
	@$(call clang_tree,build/test)
	@CC=clang-14 CXX=clang++-14 cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DOA_SANITIZE=ON -DOA_WERROR=ON >/dev/null
	@cmake --build build/test -j $(JOBS)

test: test-build
	@cd build/test && ctest -j $(JOBS) --output-on-failure --timeout 600

bench: deps web
	@cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DOA_TESTS=OFF >/dev/null
	@cmake --build build/release -j $(JOBS) --target oa_bench_storage openassist oa_loadgen
	./build/release/bench/oa_bench_storage
	./build/release/bench/loadgen/oa_loadgen --scenario targets --runs 3 \
	  --bin build/release/node/openassist --json build/bench-targets.json
	node bench/abuse_load.mjs --bin build/release/node/openassist
	node bench/dashboard_load.mjs --bin build/release/node/openassist
	node bench/report_load.mjs --bin build/release/node/openassist
	node bench/soak.mjs --bin build/release/node/openassist --mode chat --seconds 120 --warmup 30
	node bench/soak.mjs --bin build/release/node/openassist --mode intake --hold 200 --seconds 120 --warmup 30

# The memory soak of docs/BENCHMARKS.md: three 10-minute runs each of 5,000
# chat lines/s and of 1,000 intakes/s, with plots in docs/bench/. Between
# runs the disk settles: deleting a run's database (gigabytes after a chat
# run) makes the filesystem discard its blocks, which stalled the next run's
# fsyncs for minutes on this VM.
soak: deps web
	@cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DOA_TESTS=OFF >/dev/null
	@cmake --build build/release -j $(JOBS) --target openassist
	@for i in 1 2 3; do \
	  node bench/soak.mjs --bin build/release/node/openassist --mode chat --seconds 600 \
	    --plot docs/bench/soak-chat-$$i.svg --json build/soak-chat-$$i.json || exit 1; \
	  sync; sleep 20; \
	  node bench/soak.mjs --bin build/release/node/openassist --mode intake --hold 200 \
	    --seconds 600 --plot docs/bench/soak-intake-$$i.svg \
	    --json build/soak-intake-$$i.json || exit 1; \
	  sync; sleep 20; \
	done

# Each target for FUZZ_SECONDS; new inputs go to build/fuzz/corpus/<target>
# (not in git), the committed seeds in tests/fuzz/corpus/<target> are only read.
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  [ -x $(FUZZ_BIN)/$$t ] || { echo "fuzz: $$t not built (oa_fuzz_target in tests/fuzz/CMakeLists.txt?)"; exit 1; }; \
	  mkdir -p build/fuzz/corpus/$$t; \
	  seeds=; [ -d tests/fuzz/corpus/$$t ] && seeds=tests/fuzz/corpus/$$t; \
	  dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  UBSAN_OPTIONS=suppressions=tests/ubsan.supp:print_stacktrace=1:halt_on_error=1 \
	  $(FUZZ_BIN)/$$t $$dict -max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=2048 \
	    -artifact_prefix=build/fuzz/$$t- build/fuzz/corpus/$$t $$seeds || exit 1; \
	done

# Re-minimise the committed seeds with what `make fuzz` found (-merge=1); then
# review `git status tests/fuzz/corpus` and commit.
fuzz-seeds: fuzz-build
	@bash tests/fuzz/minimise-seeds.sh $(FUZZ_BIN) $(FUZZ_TARGETS)

format:
	@git ls-files '*.cpp' '*.hpp' | xargs $(CLANG_FORMAT) -i

# Every git-tracked C++ file formatted as .clang-format says (ctest lint.format).
format-check:
	@CLANG_FORMAT=$(CLANG_FORMAT) bash tests/lint/format_check.sh

# clang-tidy with .clang-tidy's checks over the test build (ctest lint.clang_tidy).
tidy:
	@bash tests/lint/clang_tidy.sh build/test $(JOBS)

clean:
	rm -rf build web/dist
