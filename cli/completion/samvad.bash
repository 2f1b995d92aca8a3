# bash completion for samvad(1): commands, each command's options, department ids and template
# names. Installed as share/bash-completion/completions/samvad; for a build tree, source it.
#
# Department ids and template names come from `samvad departments --json` and
# `samvad templates --json` run quietly with the -c/--config, --credentials and --templates
# already typed, so they follow the configuration in use. The ids are picked out with grep and
# sed (no jq): nlohmann::json prints object keys sorted, so in each template object "kind"
# comes right before the template's "name" (a variable's "name" follows "description").
#
# COMPREPLY=($(compgen ...)) splits on purpose: that is how completions are returned.
# shellcheck disable=SC2207

_samvad_global_options='-c --config --credentials --templates --state --schedule --json -q --quiet
  -v --verbose --no-color --version -h --help'
_samvad_commands='check departments templates preview count post pending approve reject run-due schedule
  status history retract inbox reply digest stats authorize store'

# Options of one command; global options may follow the command too.
_samvad_command_options() {
  case $1 in
    check) echo --strict --now --online ;;
    preview) echo -d --department --all --var --vars --example --lang ;;
    post)
      echo -d --department --all --var --vars --example --text --channels --media --alt --attach \
        --id --dry-run --retry-failed --full -y --yes --max-wait --jobs
      ;;
    approve) echo --schedule -y --yes --max-wait --jobs ;;
    reject) echo --reason ;;
    run-due) echo --now --catch-up -y --yes --dry-run --retry-failed --max-wait --jobs ;;
    schedule) echo --days --now --catch-up ;;
    history) echo -d --department --since --limit ;;
    retract) echo -d --department -y --yes ;;
    inbox) echo -d --department --open --answered --closed --all --since ;;
    digest) echo -d --department --all --since -y --yes ;;
    stats) echo -d --department --since ;;
    reply) echo --text --var --vars --lang --dry-run -y --yes --max-wait ;;
    authorize) echo --force ;;
  esac
}

# Runs the samvad being completed ($_samvad_program, local to _samvad) with the configuration
# options on the line ($_samvad_config_args) and prints department ids (departments) or
# template names (templates), one a line.
_samvad_names() {
  local json
  json=$("$_samvad_program" "${_samvad_config_args[@]}" "$1" --json 2>/dev/null </dev/null) || return 0
  json=${json//$'\n'/ }
  case $1 in
    departments)
      printf '%s\n' "$json" | grep -o '"id": *"[^"]*"' | sed 's/^"id": *"\(.*\)"$/\1/'
      ;;
    templates)
      printf '%s\n' "$json" | grep -o '"kind": *"[^"]*", *"name": *"[^"]*"' |
        sed 's/^.*"name": *"\(.*\)"$/\1/'
      ;;
  esac
}

_samvad_filenames() {  # $1: -d for folders only
  if declare -F _filedir >/dev/null; then
    _filedir "$@"
  else
    local IFS=$'\n'
    if [[ $1 == -d ]]; then COMPREPLY=($(compgen -d -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
  fi
}

_samvad() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null; then
    _init_completion -s || return
  else
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi

  # The samvad being completed (./build/cli/samvad too), else the one on PATH.
  local _samvad_program=${words[0]/#\~/$HOME}
  type -P "$_samvad_program" >/dev/null || _samvad_program=samvad

  # Find the command and the configuration options typed so far.
  local command="" positionals=0 i word value
  local -a _samvad_config_args=()
  for ((i = 1; i < cword; i++)); do
    word=${words[i]}
    case $word in
      -c | --config | --credentials | --templates)
        value=${words[i + 1]}
        ((i + 1 < cword)) && _samvad_config_args+=("$word" "${value/#\~/$HOME}")
        ((i++))
        ;;
      --config=* | --credentials=* | --templates=*) _samvad_config_args+=("${word/=\~/=$HOME}") ;;
      --state | --schedule | -d | --department | --var | --vars | --lang | --text | --channels | \
        --media | --alt | --attach | --id | --max-wait | --jobs | --now | --catch-up | --days | \
        --since | --limit)
        ((i++))
        ;;
      -*) ;;
      *)
        if [[ -z $command ]]; then command=$word; else ((positionals++)); fi
        ;;
    esac
  done

  case $prev in
    -c | --config | --credentials | --schedule | --vars)
      _samvad_filenames '@(yaml|yml)'
      return
      ;;
    --templates)
      _samvad_filenames -d
      return
      ;;
    --state | --media | --attach)
      _samvad_filenames
      return
      ;;
    -d | --department)
      COMPREPLY=($(compgen -W "$(_samvad_names departments)" -- "$cur"))
      return
      ;;
    --lang)
      COMPREPLY=($(compgen -W 'mr en all' -- "$cur"))
      return
      ;;
    --channels)
      COMPREPLY=($(compgen -W 'twitter email feed twitter,email twitter,feed email,feed' -- "$cur"))
      return
      ;;
    --var | --text | --alt | --id | --max-wait | --jobs | --now | --catch-up | --days | --since | --limit)
      return  # a value only the user knows
      ;;
  esac

  if [[ -z $command ]]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "$_samvad_global_options" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$_samvad_commands" -- "$cur"))
    fi
    return
  fi

  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_samvad_command_options "$command") $_samvad_global_options" -- "$cur"))
    return
  fi

  # The positional argument of the command, if it has one.
  case $command in
    templates | preview | post)
      ((positionals == 0)) && COMPREPLY=($(compgen -W "$(_samvad_names templates)" -- "$cur"))
      ;;
    authorize)
      ((positionals == 0)) && COMPREPLY=($(compgen -W "$(_samvad_names departments)" -- "$cur"))
      ;;
  esac
}

complete -F _samvad samvad
