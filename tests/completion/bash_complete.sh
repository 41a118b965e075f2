#!/bin/bash
# Completes command lines with a bash completion script, in bash with
# bash-completion loaded, as bash would on TAB: COMP_LINE and COMP_POINT
# are the line up to its end; COMP_WORDS is split at blanks only (bash also
# splits at COMP_WORDBREAKS, which the schedule script does not read).
# Usage: bash_complete.sh SCRIPT < LINES
# For each line read (a trailing space means the current word is empty):
# the candidates, sorted, one per line, then a line `<<END>>`.
set -u
source /usr/share/bash-completion/bash_completion || exit 2
source "$1" || exit 2
while IFS= read -r line; do
    read -r -a COMP_WORDS <<<"$line"
    [[ $line == *" " || ${#COMP_WORDS[@]} -eq 0 ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMPREPLY=()
    fn=$(complete -p "${COMP_WORDS[0]}" 2>/dev/null | sed -E 's/.*-F ([^ ]+).*/\1/')
    [[ -n $fn ]] && "$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" \
        "${COMP_WORDS[COMP_CWORD - 1]:-}"
    ((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
    echo "<<END>>"
done
