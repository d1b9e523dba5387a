# zsh -f capture.zsh <completion script> <line typed before TAB>
# Prints the matches real zsh completion offers (compinit, the script's compdef), one a line.
zmodload zsh/zpty || exit 9
script=$1 line=$2
out=$(mktemp) setup=$(mktemp)
cat > $setup <<SETUP
PS1='' PROMPT='' RPROMPT=''
unsetopt beep
autoload -Uz compinit && compinit -u -D
source ${(q)script}
compadd() {
  # callers that ask for the matches back (-O, -A, -D) are helpers, not offers
  if (( \${@[(I)-[OAD]]} )); then builtin compadd "\$@"; return; fi
  local -a hits
  builtin compadd -O hits "\$@"
  (( \$#hits )) && print -rl -- \$hits >> ${(q)out}
  builtin compadd "\$@"
}
capture() { zle complete-word; print -r -- '<<'captured'>>' }
zle -N capture
bindkey '^I' capture
print -r -- '<<'ready'>>'
SETUP
zpty z zsh -f -i
zpty -w z "source ${(q)setup}"
zpty -r z _ '*<<ready>>*' || exit 8
zpty -w -n z "$line"$'\t'
zpty -r z _ '*<<captured>>*' || exit 7
zpty -d z
sort -u $out
rm -f $out $setup
