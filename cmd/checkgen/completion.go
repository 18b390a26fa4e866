package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"checkgen/generator"
)

var cmdCompletion = &command{
	Name:      "completion",
	UsageLine: "checkgen completion bash|zsh|fish|powershell",
	Short:     "print a shell completion script",
	Long: `Completion prints a script that completes checkgen's commands, flags,
formats and file arguments in the given shell. Load it with:

  bash        source <(checkgen completion bash)
              (or save it as /etc/bash_completion.d/checkgen)
  zsh         checkgen completion zsh > "${fpath[1]}/_checkgen"
  fish        checkgen completion fish > ~/.config/fish/completions/checkgen.fish
  powershell  checkgen completion powershell | Out-String | Invoke-Expression
              (add that line to $PROFILE to keep it)`,
}

// The completion command reads the table of commands, which holds it:
// its Flags are set in init to break the cycle.
func init() { cmdCompletion.Flags = completionFlags }

func completionFlags(fs *flag.FlagSet) func(*env, []string) error {
	return func(e *env, args []string) error {
		if len(args) != 1 {
			return usagef("give one shell: %s", strings.Join(shells, ", "))
		}
		write, ok := map[string]func(io.Writer, []completionCommand){
			"bash": bashCompletion, "zsh": zshCompletion, "fish": fishCompletion, "powershell": powershellCompletion,
		}[args[0]]
		if !ok {
			msg := fmt.Sprintf("unknown shell %q (shells: %s)", args[0], strings.Join(shells, ", "))
			if s := suggest(args[0], shells); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			return usagef("%s", msg)
		}
		write(e.stdout, completionCommands())
		return nil
	}
}

var shells = []string{"bash", "zsh", "fish", "powershell"}

// completionCommand is what a completion script knows of one command.
type completionCommand struct {
	Name, Short string
	Flags       []completionFlag
	Args        completion // what its positional arguments are
}

type completionFlag struct {
	Name, Usage string
	Value       completion // what its value is; none for a switch
}

// completion says what completes a word: nothing, files, directories or
// one of a list of words.
type completion struct {
	Kind  string // "", "file", "dir" or "words"
	Words []string
}

// completionCommands reads every command's flags from its flag set, so
// the scripts follow the commands without a second list to keep in sync.
func completionCommands() []completionCommand {
	var out []completionCommand
	for _, c := range commands() {
		fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
		c.Flags(fs)
		cc := completionCommand{Name: c.Name, Short: c.Short}
		fs.VisitAll(func(f *flag.Flag) {
			name, usage := flag.UnquoteUsage(f)
			cf := completionFlag{Name: f.Name, Usage: usage}
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !b.IsBoolFlag() {
				switch name {
				case "directory":
					cf.Value = completion{Kind: "dir"}
				case "file":
					cf.Value = completion{Kind: "file"}
				case "formats":
					cf.Value = completion{Kind: "words", Words: generator.Formats}
				default:
					cf.Value = completion{Kind: "words"} // a value, nothing to offer
				}
			}
			cc.Flags = append(cc.Flags, cf)
		})
		// "--source: same as -s" takes the same values as -s.
		for i, f := range cc.Flags {
			if other, ok := strings.CutPrefix(f.Usage, "same as -"); ok {
				for _, g := range cc.Flags {
					if g.Name == other {
						cc.Flags[i].Value = g.Value
					}
				}
			}
		}
		switch c.Name {
		case "report":
			cc.Args = completion{Kind: "file"}
		case "init", "diff":
			cc.Args = completion{Kind: "dir"}
		case "completion":
			cc.Args = completion{Kind: "words", Words: shells}
		}
		out = append(out, cc)
	}
	helpWords := append(commandNames(), topicNames()...)
	slices.Sort(helpWords)
	helpWords = slices.Compact(helpWords) // "report" is a command and a topic
	out = append(out, completionCommand{Name: "help", Short: "print a command's usage or a topic of the reference", Args: completion{Kind: "words", Words: helpWords}})
	slices.SortFunc(out, func(a, b completionCommand) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// dashes is how a flag is written: -s for one letter, --formats otherwise.
func dashes(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

func names(cmds []completionCommand) string {
	var n []string
	for _, c := range cmds {
		n = append(n, c.Name)
	}
	return strings.Join(n, " ")
}

func bashCompletion(w io.Writer, cmds []completionCommand) {
	fmt.Fprintf(w, `# bash completion for checkgen: source <(checkgen completion bash)
_checkgen() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    COMPREPLY=()
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "%s" -- "$cur"))
        return
    fi
    local flags="" args=""
    case "${COMP_WORDS[1]}" in
`, names(cmds))
	for _, c := range cmds {
		var flags []string
		for _, f := range c.Flags {
			flags = append(flags, dashes(f.Name))
		}
		fmt.Fprintf(w, "    %s)\n        flags=%q\n", c.Name, strings.Join(flags, " "))
		for _, f := range c.Flags {
			if f.Value.Kind == "" {
				continue
			}
			pattern := "-" + f.Name
			if len(f.Name) > 1 {
				pattern += "|--" + f.Name
			}
			fmt.Fprintf(w, "        case \"$prev\" in %s) %s; return ;; esac\n", pattern, bashReply(f.Value))
		}
		if c.Args.Kind != "" {
			fmt.Fprintf(w, "        args=%q\n", c.Args.Kind+":"+strings.Join(c.Args.Words, " "))
		}
		fmt.Fprintln(w, "        ;;")
	}
	fmt.Fprint(w, `    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
        return
    fi
    case "$args" in
    file:*) COMPREPLY=($(compgen -f -- "$cur")) ;;
    dir:*) COMPREPLY=($(compgen -d -- "$cur")) ;;
    words:*) COMPREPLY=($(compgen -W "${args#words:}" -- "$cur")) ;;
    esac
}
complete -o filenames -o bashdefault -F _checkgen checkgen
`)
}

func bashReply(c completion) string {
	switch c.Kind {
	case "file":
		return `COMPREPLY=($(compgen -f -- "$cur"))`
	case "dir":
		return `COMPREPLY=($(compgen -d -- "$cur"))`
	}
	return fmt.Sprintf(`COMPREPLY=($(compgen -W %q -- "$cur"))`, strings.Join(c.Words, " "))
}

func zshCompletion(w io.Writer, cmds []completionCommand) {
	fmt.Fprint(w, "#compdef checkgen\n# zsh completion for checkgen: checkgen completion zsh > \"${fpath[1]}/_checkgen\"\n_checkgen() {\n    local -a commands\n    commands=(\n")
	for _, c := range cmds {
		fmt.Fprintf(w, "        %s\n", zshQuote(c.Name+":"+c.Short))
	}
	fmt.Fprint(w, "    )\n    if (( CURRENT == 2 )); then\n        _describe 'command' commands\n        return\n    fi\n    shift words\n    (( CURRENT-- ))\n    case $words[1] in\n")
	for _, c := range cmds {
		fmt.Fprintf(w, "    %s)\n        _arguments", c.Name)
		for _, f := range c.Flags {
			spec := dashes(f.Name) + "[" + zshEscape(f.Usage) + "]"
			if f.Value.Kind != "" {
				spec += ":" + f.Name + ":" + zshAction(f.Value)
			}
			fmt.Fprintf(w, " \\\n            %s", zshQuote(spec))
		}
		if c.Args.Kind != "" {
			fmt.Fprintf(w, " \\\n            %s", zshQuote("*:argument:"+zshAction(c.Args)))
		}
		fmt.Fprint(w, "\n        ;;\n")
	}
	fmt.Fprint(w, "    esac\n}\n_checkgen \"$@\"\n")
}

func zshAction(c completion) string {
	switch c.Kind {
	case "file":
		return "_files"
	case "dir":
		return "_files -/"
	}
	if len(c.Words) == 0 {
		return " "
	}
	return "(" + strings.Join(c.Words, " ") + ")"
}

func zshEscape(s string) string {
	return strings.NewReplacer("[", `\[`, "]", `\]`, ":", `\:`).Replace(s)
}

func zshQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func fishCompletion(w io.Writer, cmds []completionCommand) {
	fmt.Fprint(w, "# fish completion for checkgen: checkgen completion fish > ~/.config/fish/completions/checkgen.fish\ncomplete -c checkgen -f\n")
	for _, c := range cmds {
		fmt.Fprintf(w, "complete -c checkgen -n __fish_use_subcommand -a %s -d %s\n", c.Name, fishQuote(c.Short))
	}
	for _, c := range cmds {
		cond := "'__fish_seen_subcommand_from " + c.Name + "'"
		for _, f := range c.Flags {
			opt := "-l " + f.Name
			if len(f.Name) == 1 {
				opt = "-s " + f.Name
			}
			fmt.Fprintf(w, "complete -c checkgen -n %s %s -d %s%s\n", cond, opt, fishQuote(f.Usage), fishValue(f.Value))
		}
		if c.Args.Kind != "" {
			fmt.Fprintf(w, "complete -c checkgen -n %s%s\n", cond, fishValue(c.Args))
		}
	}
}

func fishValue(c completion) string {
	switch c.Kind {
	case "":
		return ""
	case "file":
		return " -r -F"
	case "dir":
		return " -r -x -a '(__fish_complete_directories)'"
	}
	return " -r -x -a " + fishQuote(strings.Join(c.Words, " "))
}

func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

func powershellCompletion(w io.Writer, cmds []completionCommand) {
	fmt.Fprint(w, "# PowerShell completion for checkgen: checkgen completion powershell | Out-String | Invoke-Expression\n")
	fmt.Fprint(w, "Register-ArgumentCompleter -Native -CommandName checkgen, checkgen.exe -ScriptBlock {\n    param($wordToComplete, $commandAst, $cursorPosition)\n    $flags = @{\n")
	for _, c := range cmds {
		var flags []string
		for _, f := range c.Flags {
			flags = append(flags, psQuote(dashes(f.Name)))
		}
		fmt.Fprintf(w, "        %s = @(%s)\n", psQuote(c.Name), strings.Join(flags, ", "))
	}
	fmt.Fprint(w, `    }
    $words = @($commandAst.CommandElements | ForEach-Object { $_.ToString() })
    if ($words.Count -le 1 -or ($words.Count -eq 2 -and $wordToComplete -ne '')) {
        $candidates = $flags.Keys | Sort-Object
    } elseif ($wordToComplete -like '-*') {
        $candidates = $flags[$words[1]]
    } else {
        return
    }
    $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`)
}

func psQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
