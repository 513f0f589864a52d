# The two commands a new user runs: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
DEMO_DB := $(CURDIR)/.demo/ledger.sqlite
APP := $(CURDIR)/target/debug/ishc-app
ISHC := $(CURDIR)/target/debug/ishc

.PHONY: run test setup ui app demo test-rust test-ui test-e2e crash-test bench check-fmt clean

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

bench: setup
	cargo bench -p ishc-core --bench core
	bash scripts/bench-demo.sh

clean:
	cargo clean; rm -rf ui/dist ui/node_modules tests/e2e/node_modules .demo
