# openassist — the two commands of the quick start:
#   make run    install what is missing, build (Release), start one node
#   make test   install what is missing, build (ASan+UBSan, -Werror), run every test
# and:  make bench (benchmarks, Release), make fuzz (longer fuzzing), make clean

SHELL := /bin/bash
JOBS ?= $(shell nproc)
PUBLIC_PORT ?= 8080
ADMIN_PORT ?= 9090
BIND ?= 127.0.0.1
DATA_DIR ?= ./data
FUZZ_SECONDS ?= 300

.PHONY: run test bench fuzz deps web release test-build fuzz-build clean format

deps:
	@bash deploy/install-deps.sh

web: deps
	@cd web && npm run --silent build >/dev/null && echo "web: built web/dist"

release: deps web
	@cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DOA_TESTS=OFF >/dev/null
	@cmake --build build/release -j $(JOBS)

run: release
	@mkdir -p $(DATA_DIR)
	exec ./build/release/node/openassist --node.data-dir=$(DATA_DIR) \
	  --node.bind=$(BIND) --node.public-port=$(PUBLIC_PORT) \
	  --node.admin-port=$(ADMIN_PORT) --node.web-dir=web/dist --node.demo

fuzz-build: deps
	@CC=clang-14 CXX=clang++-14 cmake -S . -B build/fuzz -G Ninja \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOA_FUZZ_ONLY=ON -DOA_WERROR=ON >/dev/null
	@cmake --build build/fuzz -j $(JOBS)

test-build: deps web fuzz-build
	@cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DOA_SANITIZE=ON \
	  -DOA_WERROR=ON -DOA_FUZZ_DIR=$(CURDIR)/build/fuzz >/dev/null
	@cmake --build build/test -j $(JOBS)

test: test-build
	@cd build/test && ctest -j $(JOBS) --output-on-failure --timeout 600

bench: deps web
	@cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DOA_TESTS=OFF >/dev/null
	@cmake --build build/release -j $(JOBS) --target oa_bench_storage openassist
	./build/release/bench/oa_bench_storage
	node bench/intake_load.mjs --bin build/release/node/openassist
	node bench/chat_load.mjs --bin build/release/node/openassist
	node bench/screen_load.mjs --bin build/release/node/openassist

fuzz: fuzz-build
	@for t in fuzz_router fuzz_json fuzz_http_parser fuzz_records fuzz_account_ops fuzz_user_agent fuzz_desk; do \
	  mkdir -p build/fuzz/corpus/$$t && cp -n tests/fuzz/corpus/$$t/* build/fuzz/corpus/$$t/ ; \
	  ./build/fuzz/tests/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) build/fuzz/corpus/$$t || exit 1; \
	done

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build web/dist
