#!/bin/sh
# install-npm.sh - the npm packages the tests use: playwright-core, which
# drives Debian's chromium in the browser test (tests/cli/T142), installed
# from the committed tests/browser/package-lock.json into
# tests/browser/node_modules (git-ignored). Does nothing when the version
# in tests/browser/package.json is there. Run by install-deps.sh.
set -eu
dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
have() {
	node -e 'const d = process.argv[1];
		const want = require(d + "/package.json").dependencies["playwright-core"];
		let got = null;
		try { got = require(d + "/node_modules/playwright-core/package.json").version; } catch (e) {}
		process.exit(got === want ? 0 : 1);' "$dir"
}
have && exit 0
echo "pmkb: installing the npm packages of tests/browser (playwright-core)" >&2
if [ "${PMKB_NO_INSTALL:-}" = 1 ]; then
	echo "pmkb: PMKB_NO_INSTALL=1, not installing" >&2
	exit 78
fi
(cd "$dir" && npm ci --no-audit --no-fund >&2)
have || { echo "pmkb: npm ci did not install playwright-core in $dir" >&2; exit 70; }
