#!/usr/bin/zsh -f
# Completes command lines with a zsh completion function, in an interactive
# zsh on a pseudo-terminal (zsh/zpty) with compinit: each line is typed,
# then TAB. A compadd wrapper prints what each call adds as it would be
# inserted; the calls of _path_files that only compute (-O, -A, -D) pass
# through. Ctrl-X prints an end marker, Ctrl-U clears the line for the next.
# Usage: zsh -f zsh_complete.zsh DIR < LINES   (DIR holds _schedule)
# For each line read: the candidates, sorted, one per line, then `<<END>>`.
# Markers are written split ("<<EN""D>>") so that the terminal's echo of
# what is typed never holds them.
zmodload zsh/zpty || exit 2
zpty z zsh -f -i

# Runs a command in the shell and waits until it has run: what is typed
# while the shell is busy may be lost.
setup() {
  local line
  zpty -w z "$1; print -r -- '<<RE''ADY>>'"
  while zpty -r z line; do [[ $line == *'<<READY>>'* ]] && return; done
  exit 3
}
setup "PROMPT= RPROMPT= PS2="
setup "fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
setup "zstyle ':completion:*' list-grouped false; LISTMAX=1000000"
setup 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a __h; local -A __o; zparseopts -E -A __o p: P: s: S:
  builtin compadd -A __h "$@"
  (( $#__h )) && print -rl -- "<<M"">>"$__o[-P]$__o[-p]${^__h}$__o[-s]
  builtin compadd "$@"
}'
setup 'zle -N __done; __done() { print -r -- "<<EN""D>>" }; bindkey "^X" __done'
setup "bindkey '^I' complete-word"

local input line out
local -a found
while IFS= read -r input; do
  zpty -n -w z "$input"$'\t'$'\C-x'
  out=
  while zpty -r z line; do [[ $line == *'<<END>>'* ]] && break; out+="$line"$'\n'; done
  zpty -n -w z $'\C-u'
  found=(${(u)${(M)${(f)out}:#*<<M>>*}##*<<M>>})
  found=(${found//$'\r'/})
  (( $#found )) && print -rl -- ${(o)found}
  print -r -- "<<END>>"
done
zpty -d z
