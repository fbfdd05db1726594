# T090: pmkb config: set, get, unset, list; DIR/config wins over the
# user's file; the file is private (0600) and rewritten keeping comments;
# a malformed file is a configuration error (78) naming file and line.
. "$TOP/tests/cli/lib.sh"
export XDG_CONFIG_HOME="$T/xdg"
expect_exit 1 "$PMKB" config get serve.token
expect_exit 0 "$PMKB" config set serve.token abc
[ "$(stat -c %a "$PMKB_DB/config")" = 600 ] || fail "config is not mode 0600"
expect_exit 0 "$PMKB" config get serve.token
[ "$(cat "$T/out")" = abc ] || fail "get gave '$(cat "$T/out")'"
# the user's file is read too, and the knowledge base's own file wins
expect_exit 0 "$PMKB" config --user set serve.token user-token
expect_exit 0 "$PMKB" config --user set user.name "Lin Engineer"
[ -f "$T/xdg/pmkb/config" ] || fail "the user's file was not written"
expect_exit 0 "$PMKB" config get serve.token
[ "$(cat "$T/out")" = abc ] || fail "DIR/config did not win: '$(cat "$T/out")'"
expect_exit 0 "$PMKB" config get user.name
[ "$(cat "$T/out")" = "Lin Engineer" ] || fail "user.name gave '$(cat "$T/out")'"
# set keeps comments and other keys, replaces in place
printf '# written by hand\nsuggest.threshold = 0.9\n' >> "$PMKB_DB/config"
expect_exit 0 "$PMKB" config set serve.token def
contains "$PMKB_DB/config" "# written by hand"
contains "$PMKB_DB/config" "suggest.threshold = 0.9"
[ "$(grep -c serve.token "$PMKB_DB/config")" = 1 ] || fail "serve.token written twice"
expect_exit 0 "$PMKB" config list
contains "$T/out" "serve.token = def"
contains "$T/out" "user.name = Lin Engineer"
expect_exit 0 "$PMKB" config unset serve.token
expect_exit 0 "$PMKB" config get serve.token
[ "$(cat "$T/out")" = user-token ] || fail "unset did not fall back to the user's file"
# bad keys and values are usage errors; nothing is written
cp "$PMKB_DB/config" "$T/before"
expect_exit 64 "$PMKB" config set Serve.Token x
expect_exit 64 "$PMKB" config set token x
expect_exit 64 "$PMKB" config frob
cmp -s "$PMKB_DB/config" "$T/before" || fail "a refused set changed the file"
# a malformed file: 78, the file and line named, and set refuses to rewrite it
echo "this is not a setting" >> "$PMKB_DB/config"
expect_exit 78 "$PMKB" config get suggest.threshold
contains "$T/err" "config:3:"
expect_exit 78 "$PMKB" config set serve.token x
lacks "$PMKB_DB/config" "serve.token = x"
expect_exit 0 "$PMKB" config --help
contains "$T/out" "usage: pmkb config"
