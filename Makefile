# The two commands a new user runs: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
DEMO_DB := $(CURDIR)/.demo/ledger.sqlite
APP := $(CURDIR)/target/debug/ishc-app
ISHC := $(CURDIR)/target/debug/ishc

.PHONY: run test setup ui app demo test-rust test-ui test-e2e crash-test fuzz fuzz-smoke bench bench-window check-fmt clean package package-test

setup:
	bash scripts/setup.sh

ui: setup
	cd ui && npm run build

# The shell embeds ui/dist, so the window is built after the UI.
app: ui
	cargo build -p ishc -p ishc-app

demo: app
	@if [ ! -f "$(DEMO_DB)" ]; then mkdir -p .demo && $(ISHC) --db "$(DEMO_DB)" demo --years 10 --members 60; fi

run: demo
	@echo "Demo club: signing-key passphrase demo-passphrase; board PINs (for trying only): chairperson 1111, vice-chair 2222, treasurer 3333, secretary 4444 (names: ishc --db $(DEMO_DB) user list); recovery code CHBD-EMXA-2345-6789"
	ISHC_DB="$(DEMO_DB)" $(APP)

# The shell's tests compile the shell, which embeds ui/dist: build the UI first.
test-rust: ui
	cargo test --workspace

# svelte-check: the window type-checks with no error and no warning; then the unit tests.
test-ui: setup
	cd ui && npm run check && npm test

test-e2e: app
	cd tests/e2e && ISHC_APP="$(APP)" ISHC_BIN="$(ISHC)" npm test

test: test-rust test-ui test-e2e

# The long crash test: 600 SIGKILLs of real `ishc` writers, then its figures (`make test` runs 40).
# ISHC_CRASH_SEED=N replays a seed's choices.
crash-test:
	ISHC_CRASH_KILLS=$${ISHC_CRASH_KILLS:-600} cargo test -p ishc --test crash -- --nocapture --test-threads 1

# The Debian package for the village laptop: dist/so-sach-clb_VERSION_amd64.deb ("Sổ sách CLB" in the
# menu, /usr/bin/so-sach-clb and /usr/bin/ishc). A release build: up to 30 minutes cold on 2 cores.
package: ui
	bash scripts/package.sh

# Installs that package on this machine (root or sudo), opens its window under Xvfb, removes it and
# finds the books kept; then installs an older release, makes books, upgrades, checks them. Leaves
# the package removed.
package-test: package
	bash scripts/package-test.sh
	bash scripts/upgrade-test.sh

# Coverage-guided fuzzing of the readers of outside data (bundles, member sheets): builds fuzz/ with
# libFuzzer on stable Rust, then FUZZ_SECONDS per target (docs/fuzzing.md). Not part of `make test`:
# the instrumented build alone takes longer than CI can give it. `make test` replays the committed
# corpus instead (crates/core/tests/fuzz_corpus.rs, run by `cargo test --workspace`); fuzz-smoke runs
# only that replay.
FUZZ_SECONDS ?= 300
fuzz: setup
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-smoke:
	cargo test -p ishc-core --test fuzz_corpus

bench: setup
	cargo bench -p ishc-core --bench core
	bash scripts/bench-demo.sh
	bash scripts/bench-big-club.sh
	bash scripts/bench-commune.sh 300 1200

# The window's first content and memory (tests/e2e/bench-window.mjs), on the release app: the
# 10-year demo, with WebKit's compositing off (the app's default) and on; then the floor (the
# first-run screen, no ledger).
bench-window: setup ui
	cargo build --release -p ishc -p ishc-app
	cd tests/e2e && ISHC_APP=$(CURDIR)/target/release/ishc-app ISHC_BIN=$(CURDIR)/target/release/ishc node bench-window.mjs
	cd tests/e2e && BENCH_COMPOSITING=1 ISHC_APP=$(CURDIR)/target/release/ishc-app ISHC_BIN=$(CURDIR)/target/release/ishc node bench-window.mjs
	cd tests/e2e && BENCH_FLOOR=1 ISHC_APP=$(CURDIR)/target/release/ishc-app ISHC_BIN=$(CURDIR)/target/release/ishc node bench-window.mjs

clean:
	cargo clean; rm -rf ui/dist ui/node_modules tests/e2e/node_modules .demo dist
