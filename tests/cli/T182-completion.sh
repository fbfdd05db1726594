# T182: shell completion generated from the option tables (pmkb
# completion bash|zsh): bash completes 'pmkb ma<TAB>' to match and 'pmkb
# match --<TAB>' to match's options, argument choices and sub-commands; zsh
# does the same in a real interactive zsh (zpty), when zsh is installed
# (scripts/install-deps.sh installs it).
. "$TOP/tests/cli/lib.sh"
expect_exit 0 "$PMKB" completion bash
cp "$T/out" "$T/pmkb.bash"
expect_exit 64 "$PMKB" completion fish
expect_exit 64 "$PMKB" completion

cat >"$T/t.bash" <<'EOS'
. "$1"
t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _pmkb; echo "${COMPREPLY[*]}"; }
t pmkb ma
t pmkb match --
t pmkb --db /tmp -q ma
t pmkb suggest --lang ''
t pmkb rules ''
t pmkb help sh
t pmkb list --so
complete -p pmkb
EOS
bash "$T/t.bash" "$T/pmkb.bash" >"$T/got" 2>"$T/err" || { cat "$T/err"; fail "the bash completion script failed"; }
[ -s "$T/err" ] && { cat "$T/err"; fail "the bash completion script wrote errors"; }
cat >"$T/want" <<'EOW'
match
--json --rules --text --help --quiet --verbose
match
zh en
list check test diff
show
--sort
complete -o filenames -F _pmkb pmkb
EOW
diff -u "$T/want" "$T/got" || fail "bash completion differs"
# every option of match --help is offered (the same table)
expect_exit 0 "$PMKB" match --help
for o in $(grep -oE -- '--[a-z][a-z-]*' "$T/out" | sort -u); do
	sed -n 2p "$T/got" | grep -qE -- "(^| )$o( |$)" || fail "match --help has $o, completion does not"
done

if ! command -v zsh >/dev/null 2>&1; then
	echo "zsh is not installed (scripts/install-deps.sh installs it): zsh completion not checked"
	exit 0
fi
expect_exit 0 "$PMKB" completion zsh
mkdir -p "$T/fpath"
cp "$T/out" "$T/fpath/_pmkb"
zsh -n "$T/fpath/_pmkb" || fail "the zsh completion script does not parse"
# type in a real interactive zsh: the word completed, then the line echoed
cat >"$T/t.zsh" <<EOS
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1='> '; bindkey -e; fpath=($T/fpath \\\$fpath); autoload -U compinit; compinit -u -D"
for line in 'X pmkb ma' 'Y pmkb match --ru' 'Z pmkb suggest --lang z' 'W pmkb rules ch'; do
	zpty -n -w z "\${line#? }"\$'\t'
	sleep 0.5
	zpty -n -w z \$'\x01'"echo \${line%% *} "\$'\n'
done
zpty -w z 'exit'
out=
while zpty -r z l; do out+=\$l; done
print -r -- \$out | tr -d '\r' | grep -a '^[XYZW] '
EOS
timeout 30 zsh -f "$T/t.zsh" >"$T/zgot" 2>"$T/zerr"
cat >"$T/zwant" <<'EOW'
X pmkb match
Y pmkb match --rules
Z pmkb suggest --lang zh
W pmkb rules check
EOW
diff -u "$T/zwant" "$T/zgot" || { cat "$T/zerr"; fail "zsh completion differs"; }
