# A class on one server: `make hub` tries the course's JupyterHub on localhost (as root), with
# an instructor and three students (deploy/hub/trial.py; docs/teaching-a-class-on-a-hub.md).
# Ctrl-C stops the hub and every user's server.  `make hub-remove` deletes the trial's accounts.

HUB_DIR   := deploy/hub
HUB_PROXY := $(HUB_DIR)/node_modules/.bin/configurable-http-proxy
HUB_PORT  ?= 8000

.PHONY: hub hub-proxy hub-remove

hub: $(STAMP) $(HUB_PROXY)
	$(BIN)/python $(HUB_DIR)/trial.py --port $(HUB_PORT) $(HUB_ARGS)

hub-remove:
	$(BIN)/python $(HUB_DIR)/trial.py --remove $(HUB_ARGS)

# The hub's proxy, configurable-http-proxy, from the npm registry (the version pinned in
# deploy/hub/package-lock.json), into deploy/hub/node_modules.
hub-proxy: $(HUB_PROXY)
$(HUB_PROXY): $(HUB_DIR)/package.json $(HUB_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "make hub: npm is missing (the hub's proxy is an npm package): apt install nodejs npm"; exit 2; }
	npm ci --prefix $(HUB_DIR) --no-audit --no-fund --loglevel=error
	@touch $@

TEST_DEPS += hub-proxy
