#!/usr/bin/zsh -f
# Types command lines into an interactive bash (readline, on a
# pseudo-terminal driven with zsh/zpty) that has bash-completion and a
# completion script loaded, presses TAB once, and prints the line as
# readline left it: what bash really inserts, quoting included.
# Usage: zsh -f bash_readline.zsh SCRIPT < LINES
# For each line read: `<<LINE>>` immediately followed by the edited line.
# Markers are written split ("<<LI""NE>>") so that the terminal's echo of
# what is typed never holds them.
zmodload zsh/zpty || exit 2
zpty b bash --norc --noprofile -i

setup() {
  local line
  zpty -w b "$1; echo '<<RE''ADY>>'"
  while zpty -r b line; do [[ $line == *'<<READY>>'* ]] && return; done
  exit 3
}
setup "PS1= PS2= PROMPT_COMMAND="
setup "source /usr/share/bash-completion/bash_completion; source ${(q)1}"
setup "bind 'set bell-style none'; bind 'set show-all-if-ambiguous off'"
setup "bind -x '\"\\C-x\": printf \"<<LI\"\"NE>>%s<<EN\"\"D>>\\n\" \"\$READLINE_LINE\"'"

local input line out
while IFS= read -r input; do
  zpty -n -w b "$input"$'\t'$'\C-x'
  out=
  while zpty -r b line; do
    out+=$line
    [[ $out == *'<<LINE>>'*'<<END>>'* ]] && break
  done
  zpty -n -w b $'\C-a\C-k'
  out=${out##*<<LINE>>}
  print -r -- "<<LINE>>${out%%<<END>>*}"
done
zpty -d b
