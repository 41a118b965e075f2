# bash completion for schedule(1)                          -*- shell-script -*-
#
# Install as /usr/share/bash-completion/completions/schedule (bash-completion
# loads it when `schedule` is first completed), or source it from ~/.bashrc.
# The candidates come from the program: `schedule __complete bash WORDBREAKS
# LINE` reads the command line up to the cursor as schedule parses it and
# answers in blocks, each a header `:KIND<TAB>SPACE<TAB>TEXT` and, for KIND
# `words`, the replies quoted as the line needs (schedule(1), COMPLETION).

_schedule()
{
    local cmd=$1 answer line kind= space text IFS=$'\n'
    [[ $cmd == "~/"* ]] && cmd=$HOME/${cmd#"~/"}
    COMPREPLY=()
    answer=$(command "$cmd" __complete bash "$COMP_WORDBREAKS" \
        "${COMP_LINE:0:COMP_POINT}" 2>/dev/null) || return 0
    while IFS= read -r line; do
        if [[ $line == :* ]]; then
            IFS=$'\t' read -r kind space text <<<"${line#:}"
            [[ $space == nospace ]] && compopt -o nospace 2>/dev/null
            case $kind in
                files | dirs)
                    # readline quotes what compgen finds and marks directories.
                    compopt -o filenames 2>/dev/null
                    COMPREPLY+=($(compgen "-${kind:0:1}" -- "$text"))
                    ;;
                users) COMPREPLY+=($(compgen -u -- "$text")) ;;
            esac
        elif [[ $kind == words && -n $line ]]; then
            COMPREPLY+=("$line")
        fi
    done <<<"$answer"
    return 0
}
complete -F _schedule schedule

# ex: filetype=sh
