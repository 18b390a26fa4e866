# The two commands a newcomer runs: `make build` and `make test`.
GO ?= go

.PHONY: build test e2e bench fuzz check vet clean national dist

# Build the example site (content/, layouts/) into public/.
build:
	$(GO) run ./cmd/checkgen build -s . -d public

# Validate the example content only.
check:
	$(GO) run ./cmd/checkgen check -s .

# Unit and integration tests; needs only Go.
test: vet
	$(GO) test -count=1 ./...

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Tests against real clients: Chromium, poppler-utils, LibreOffice.
# .ci/run installs them; see README.
e2e:
	$(GO) test -count=1 -tags e2e -timeout 40m ./...

# Benchmarks of loading, resolving and rendering; then the national tree
# (96,135 units, see make national): each format alone, all three, a
# rebuild with nothing changed, after editing one polling-area task and
# after renaming one polling area, with wall time, peak RSS and files/s,
# and the write floor of the full build (its files written without
# rendering) with the build's ratio to it. serve's save-to-reload times
# (p50, p95) on the example, a 10,000-unit site and, after make national,
# the national tree. Last, side by side with Hugo on the same
# 10,000-polling-area tree: the HTML build (alternating runs) and the
# time from a save to the page showing it in `hugo server` and
# `checkgen serve` (skipped, saying so, when there is no Hugo: see
# generator/benchtree).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -skip 'National|HTMLvsHugo|ServeVsHugo' -timeout 60m ./...
	CHECKGEN_BENCH_UNITS=10000 CHECKGEN_BENCH_MODES=on-request $(if $(wildcard scratch/national/content),CHECKGEN_BENCH_SITE=$(CURDIR)/scratch/national) \
	  $(GO) test -run '^$$' -bench 'ServeReload/(10000-units|national)/' -benchtime 10x -timeout 90m ./cmd/checkgen
	$(GO) test -run '^$$' -bench National -benchtime 1x -timeout 90m ./generator
	$(GO) test -run '^$$' -bench 'HTMLvsHugo|ServeVsHugo' -benchtime 1x -timeout 60m -v ./generator/benchtree

# Short fuzzing runs of the loader and of the filled-workbook reader.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzLoad -fuzztime 30s ./generator/plan
	$(GO) test -run '^$$' -fuzz FuzzRead -fuzztime 30s -fuzzminimizetime 3s ./generator/xlsx

# A synthetic national tree (85,000 polling areas) with the example plans, in scratch/national (not committed).
national:
	$(GO) run ./generator/national/mknational -s . -o scratch/national

# Release archives for Windows, macOS and Linux with SHA256SUMS, in dist/.
# The version is the git tag (or commit) unless VERSION is given.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
dist:
	GOOS=windows $(GO) vet ./...
	$(GO) run ./generator/dist/mkdist -version $(VERSION) -o dist

clean:
	rm -rf public e2e-artifacts dist
