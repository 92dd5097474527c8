# Parley — make targets. `make run` and `make test` are the two commands of
# the README's first screen; keep them working on a fresh machine.

GO      ?= go
BIN     ?= ./parley
PKGS    := ./...
# The parley binary is built with profile-guided optimisation from
# cmd/parley/default.pgo (the go command finds it there); the benchmarks
# and profiles use the same profile, so they measure the binary users run.
PGO     := -pgo=$(CURDIR)/cmd/parley/default.pgo

.PHONY: all build install run test test-short test-slurm readme-samples fuzz bench profile icount pgo backtest lint fmt clean

all: build

# -buildvcs=auto stamps the git commit into the binary (parley version) even
# where GOFLAGS says -buildvcs=false; outside a clone it stamps nothing.
build:
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/parley

## install: go install ./cmd/parley — parley in $(go env GOPATH)/bin
install:
	$(GO) install -buildvcs=auto ./cmd/parley

## run: build, then simulate the built-in reference scenario into out/ttp-2021
run: build
	$(BIN) run --force

## test: vet and the whole test suite with the race detector
test:
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -timeout 45m $(PKGS)

## fuzz: a short fuzz run (FUZZTIME each) of every decoder a user or a client
## can feed: scenario files, targets files, observation CSVs, --set/--vary
## values, the serve request parser. Seed corpora: */testdata/fuzz/.
FUZZTIME ?= 20s
FUZZ_SCENARIO := FuzzParse FuzzParseTargets FuzzObservedCSV FuzzApplySets
## scripts/fuzz retries a target the fuzz coordinator fails on its own
## deadline having found nothing (a toolchain race); a crash fails at once.
fuzz:
	@for f in $(FUZZ_SCENARIO); do \
		scripts/fuzz ./sim/scenario/ $$f $(FUZZTIME) || exit 1; \
	done
	scripts/fuzz ./internal/serve/ FuzzParseWhatIf $(FUZZTIME)

## test-slurm: a sweep as a Slurm array job on a throwaway single-node cluster (root)
test-slurm:
	scripts/test-slurm

test-short:
	$(GO) test -short -count=1 $(PKGS)

## readme-samples: rerun the commands whose output README.md shows and rewrite
## those samples (<!-- sample: COMMAND --> blocks); TestREADME fails when one is stale
readme-samples:
	$(GO) test -count=1 -run '^TestREADME$$' ./cmd/parley -args -update

## bench: the engine's benchmarks (0 allocs per step; 10,000 reference runs)
bench:
	$(GO) test $(PGO) -run '^$$' -bench . -benchmem -benchtime 3x ./sim/ ./sim/mc/ ./sim/sweep/ ./sim/calib/

## profile: CPU profile of `parley run embedded:ttp-2021.toml --runs 10000
## --quiet` (BenchmarkRunCommand) and its flame graph docs/profile-run-10k.svg
## (scripts/flamegraph, standard library only); PROFDIR keeps the profile
PROFDIR ?= /tmp/parley-profile
profile:
	mkdir -p $(PROFDIR)
	$(GO) test $(PGO) -run '^$$' -bench '^BenchmarkRunCommand$$' -benchtime 1x -cpuprofile $(PROFDIR)/run-10k.pprof -o $(PROFDIR)/cli.test ./internal/cli/
	$(GO) tool pprof -traces $(PROFDIR)/cli.test $(PROFDIR)/run-10k.pprof | $(GO) run ./scripts/flamegraph -title 'parley run embedded:ttp-2021.toml --runs 10000 --quiet (CPU)' > docs/profile-run-10k.svg
	@echo "profile: $(PROFDIR)/run-10k.pprof (go tool pprof -http=: $(PROFDIR)/cli.test $(PROFDIR)/run-10k.pprof); flame graph: docs/profile-run-10k.svg"

## icount: instructions per reference run (deterministic; needs valgrind)
icount:
	GOFLAGS=$(PGO) scripts/icount ./sim 'BenchmarkRunByMonth$$' 10
	GOFLAGS=$(PGO) scripts/icount ./sim/mc 'BenchmarkMonteCarlo/runs=1000$$' 1

## pgo: regenerate cmd/parley/default.pgo, the profile the binary is
## optimised with, from CPU profiles of run, serve, sweep and calibrate
## (scripts/pgo); outputs do not depend on it, only speed
pgo:
	scripts/pgo

## backtest: the reference rolling-origin backtest (skill vs naive baselines, coverage, PIT)
backtest:
	scripts/backtest-reference

## lint: formatting and vet
lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

fmt:
	gofmt -w .

clean:
	rm -rf $(BIN) out
