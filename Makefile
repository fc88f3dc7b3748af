# Kizuna's two commands: `make run` (set up, demo data, start) and `make test` (set up, whole suite).
# Everything they need is installed here when missing, on a fresh Debian machine.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Exported: the default SITE_URL (links, xAPI IRIs, badges) follows the port served, in demo_seed too.
export PORT
PYTEST_ARGS ?= -n 2
APT_PACKAGES := ffmpeg espeak-ng chromium fonts-ipafont-gothic gettext graphviz redis-server
PYTHON ?= $(shell command -v python3.11 || command -v python3)

.PHONY: run test setup system-deps venv messages vendor lock lint demo clean

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py pwa_icons -v0 >/dev/null
	$(PY) manage.py demo_seed
	$(PY) manage.py serve --port $(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

setup: system-deps venv messages vendor

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	touch $@

# Compiled catalogs are build output: every app's locale/ and the project's.
messages: venv
	@$(PY) -c "import django" && find . -path ./.venv -prune -o -name django.po -print | while read po; do \
	  mo="$${po%.po}.mo"; if [ ! -f "$$mo" ] || [ "$$po" -nt "$$mo" ]; then msgfmt --check-format -o "$$mo" "$$po" || exit 1; fi; done

# Browser code from the npm registry, fetched once as the package's tarball (no npm or Node needed) and checked
# against the registry's integrity hash, then against our own hashes of the two files we serve: scorm-again, the
# SCORM API the package player runs (no Node build step).
SCORM_AGAIN := 3.4.3
SCORM_AGAIN_DIR := kizuna/packages/static/packages/vendor/scorm-again
SCORM_AGAIN_SHA512 := 65b7beec0acc51b4f59559ea631b1b1917c8f490fd255a843f364b41d9349df366703609e34e2b30ef676e44341f3c2ec79b80085f732acbdcdbd43f67330e76
SCORM12_SHA256 := cf86d5840673b1ae90d00a1f6689376312842b65c7595b417b1259bfb0fc56b6
SCORM2004_SHA256 := cc03a8c90f1f7cff3ad41d9e246a0c37760d7502bed53b1335622c189768e4ea

# hls.js (its light build: HLS with fMP4/TS, no subtitles or DRM), the player of adaptive streaming where the
# browser has no HLS of its own; checked the same way, in its own scratch folder.
HLSJS := 1.7.4
HLSJS_DIR := kizuna/media/static/media/vendor/hls.js
HLSJS_SHA512 := dc697119d3ef4f6607bd060eb7ec8ecd3fc3122a2bfea255348ca51c0efb9207a805375042a8bbd06c1e7cd11498741e346ca30bc53adbe6ebbaa5bf4e99beb6
HLSJS_SHA256 := 482cccb3a224554f64d8c2cf0d335dba4a3819bdb726afbfddfe15de4c277d82

vendor: $(SCORM_AGAIN_DIR)/.fetched-$(SCORM_AGAIN) $(HLSJS_DIR)/.fetched-$(HLSJS)

$(SCORM_AGAIN_DIR)/.fetched-$(SCORM_AGAIN):
	rm -rf var/npm && mkdir -p var/npm $(SCORM_AGAIN_DIR)
	$(PYTHON) -c 'import hashlib, sys, urllib.request; data = urllib.request.urlopen(sys.argv[1], timeout=60).read(); \
	  hashlib.sha512(data).hexdigest() == sys.argv[2] or sys.exit("scorm-again: the tarball'"'"'s hash differs"); \
	  open(sys.argv[3], "wb").write(data)' \
	  https://registry.npmjs.org/scorm-again/-/scorm-again-$(SCORM_AGAIN).tgz $(SCORM_AGAIN_SHA512) var/npm/scorm-again.tgz
	cd var/npm && tar xzf scorm-again.tgz
	cd var/npm/package/dist && printf '%s  scorm12.min.js\n%s  scorm2004.min.js\n' $(SCORM12_SHA256) $(SCORM2004_SHA256) | sha256sum --quiet -c
	cp var/npm/package/dist/scorm12.min.js var/npm/package/dist/scorm12.min.js.map var/npm/package/dist/scorm2004.min.js \
	  var/npm/package/dist/scorm2004.min.js.map var/npm/package/LICENSE $(SCORM_AGAIN_DIR)/
	rm -rf var/npm && touch $@

$(HLSJS_DIR)/.fetched-$(HLSJS):
	rm -rf var/npm-hls && mkdir -p var/npm-hls $(HLSJS_DIR)
	$(PYTHON) -c 'import hashlib, sys, urllib.request; data = urllib.request.urlopen(sys.argv[1], timeout=60).read(); \
	  hashlib.sha512(data).hexdigest() == sys.argv[2] or sys.exit("hls.js: the tarball'"'"'s hash differs"); \
	  open(sys.argv[3], "wb").write(data)' \
	  https://registry.npmjs.org/hls.js/-/hls.js-$(HLSJS).tgz $(HLSJS_SHA512) var/npm-hls/hls.js.tgz
	cd var/npm-hls && tar xzf hls.js.tgz
	cd var/npm-hls/package/dist && printf '%s  hls.light.min.js\n' $(HLSJS_SHA256) | sha256sum --quiet -c
	rm -f $(HLSJS_DIR)/.fetched-*
	cp var/npm-hls/package/dist/hls.light.min.js var/npm-hls/package/dist/hls.light.min.js.map \
	  var/npm-hls/package/LICENSE $(HLSJS_DIR)/
	rm -rf var/npm-hls && touch $@

# Regenerate the lock file from requirements.in in a clean environment.
lock:
	rm -rf /tmp/kizuna-lock && $(PYTHON) -m venv /tmp/kizuna-lock
	/tmp/kizuna-lock/bin/pip install -q --upgrade pip && /tmp/kizuna-lock/bin/pip install -q -r requirements.in
	( echo "# Generated by 'make lock' from requirements.in: every package pinned."; /tmp/kizuna-lock/bin/pip freeze --all | grep -vE '^(pip|setuptools|wheel)==' ) > requirements.lock

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/vulture kizuna vulture_whitelist.py --exclude "*/tests/*,*/migrations/*,kizuna/settings.py" \
	  --ignore-decorators "@router.*,@*_router.*,@register.*,@register,@admin.register,@receiver" \
	  --ignore-names "app_name,Meta,clean_*,add_arguments,has_*_permission,label_from_instance,*Config,*Admin"

demo: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_seed

clean:
	rm -rf var

-include bench/Makefile.inc
